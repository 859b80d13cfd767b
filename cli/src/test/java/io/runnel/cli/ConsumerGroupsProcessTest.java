package io.runnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/runnel consumer-groups} and {@code console-consumer --group} as real processes against a real
 * {@code bin/runnel server-start} node: after a group consumed all N records with commits, {@code --describe} shows
 * LAG 0 on every partition; after M more records, a total lag of M; {@code --reset-offsets --to-earliest --execute}
 * on the stopped group makes it N+M. Ports come from the OS; every process is killed in teardown.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ConsumerGroupsProcessTest {
    private static final Path LAUNCHER = LaunchedProcesses.repoRoot().resolve("bin/runnel");
    private static final Pattern TOTAL = Pattern.compile("Total lag of topic (\\S+): (\\d+).*");

    @TempDir
    Path dir;
    private LaunchedProcesses processes;
    private String bootstrap;

    @BeforeEach
    void startServer() throws Exception {
        processes = new LaunchedProcesses(dir);
        int controller = ServerStartProcessTest.freePort();
        int broker = ServerStartProcessTest.freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + broker + ",CONTROLLER://127.0.0.1:" + controller,
                "controller.listener.names=CONTROLLER",
                "log.dirs=" + dir.resolve("data"),
                "group.initial.rebalance.delay.ms=0",
                "broker.heartbeat.interval.ms=500", ""));
        Process server = processes.start(LAUNCHER, LaunchedProcesses.skipBuildEnv(), "server-start",
                config.toString());
        bootstrap = "127.0.0.1:" + broker;
        awaitLine(dir.resolve("err-0.txt"), "Listening on PLAINTEXT", server);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        processes.close();
    }

    private static void awaitLine(Path file, String needle, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LaunchedProcesses.TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readAllLines(file).stream().anyMatch(l -> l.contains(needle))) {
                return;
            }
            assertTrue(p.isAlive(), "the server exited");
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + needle + "' in " + file);
    }

    private LaunchedProcesses.Result runnel(String... args) throws Exception {
        return processes.run(LAUNCHER, LaunchedProcesses.skipBuildEnv(), args);
    }

    private Properties props() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return p;
    }

    private void produce(String topic, int from, int count) throws Exception {
        Properties p = props();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Consumes {@code count} records in group {@code group} with synchronous commits, then leaves. */
    private void consumeAndCommit(String topic, String group, int count) {
        Properties p = props();
        p.put("group.id", group);
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            int seen = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen < count) {
                assertTrue(System.nanoTime() < deadline, "consumed only " + seen + " of " + count);
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                seen += records.count();
                consumer.commitSync();
            }
            assertEquals(count, seen);
        }
    }

    /** Per topic, the total lag {@code --describe} reports, after checking the exit code and the header. */
    private Map<String, Long> describe(String group, List<String> rows) throws Exception {
        LaunchedProcesses.Result r = runnel("consumer-groups", "--bootstrap-server", bootstrap, "--describe",
                "--group", group);
        assertEquals(0, r.exitCode(), r.err().toString());
        assertTrue(r.out().get(1).matches("GROUP +TOPIC +PARTITION +CURRENT-OFFSET +LOG-END-OFFSET +LAG +"
                + "CONSUMER-ID +HOST +CLIENT-ID"), r.out().toString());
        rows.clear();
        rows.addAll(r.out().stream().filter(l -> l.startsWith(group + " ")).toList());
        Map<String, Long> totals = new java.util.TreeMap<>();
        for (String line : r.out()) {
            Matcher m = TOTAL.matcher(line);
            if (m.matches()) {
                totals.put(m.group(1), Long.parseLong(m.group(2)));
            }
        }
        return totals;
    }

    @Test
    void lagIsZeroAfterConsumingThenMThenNPlusMAfterAResetToEarliest() throws Exception {
        try (Admin admin = Admin.create(props())) {
            admin.createTopics(List.of(new NewTopic("lagged", 2, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        int n = 40;
        int m = 7;
        produce("lagged", 0, n);
        consumeAndCommit("lagged", "g", n);

        List<String> rows = new java.util.ArrayList<>();
        assertEquals(Map.of("lagged", 0L), describe("g", rows));
        assertEquals(2, rows.size(), rows.toString());
        for (String row : rows) {
            String[] cells = row.trim().split(" +");
            assertEquals("0", cells[5], "LAG of " + row);
            assertEquals(cells[3], cells[4], "CURRENT-OFFSET = LOG-END-OFFSET in " + row);
        }

        produce("lagged", n, m);
        assertEquals(Map.of("lagged", (long) m), describe("g", rows));

        LaunchedProcesses.Result reset = runnel("consumer-groups", "--bootstrap-server", bootstrap,
                "--reset-offsets", "--group", "g", "--topic", "lagged", "--to-earliest", "--execute");
        assertEquals(0, reset.exitCode(), reset.err().toString());
        assertTrue(reset.out().stream().anyMatch(l -> l.matches("g +lagged +0 +0")), reset.out().toString());
        assertEquals(Map.of("lagged", (long) (n + m)), describe("g", rows));

        LaunchedProcesses.Result list = runnel("consumer-groups", "--bootstrap-server", bootstrap, "--list",
                "--output", "json");
        assertEquals(0, list.exitCode(), list.err().toString());
        assertEquals(List.of("[{\"group\":\"g\",\"state\":\"Empty\",\"type\":\"Classic\"}]"), list.out());

        LaunchedProcesses.Result unknown = runnel("consumer-groups", "--bootstrap-server", bootstrap, "--describe",
                "--group", "nobody");
        assertEquals(1, unknown.exitCode());
        assertEquals(List.of("runnel: Consumer group 'nobody' does not exist."), unknown.err());
    }

    @Test
    void consoleConsumerWithAGroupCommitsWhatItPrinted() throws Exception {
        try (Admin admin = Admin.create(props())) {
            admin.createTopics(List.of(new NewTopic("printed", 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        produce("printed", 0, 30);
        LaunchedProcesses.Result consumed = runnel("console-consumer", "--bootstrap-server", bootstrap, "--topic",
                "printed", "--group", "readers", "--from-beginning", "--max-messages", "12");
        assertEquals(0, consumed.exitCode(), consumed.err().toString());
        assertEquals(12, consumed.out().size(), consumed.out().toString());
        List<String> rows = new java.util.ArrayList<>();
        assertEquals(Map.of("printed", 18L), describe("readers", rows));

        LaunchedProcesses.Result rest = runnel("console-consumer", "--bootstrap-server", bootstrap, "--topic",
                "printed", "--group", "readers", "--max-messages", "18");
        assertEquals(0, rest.exitCode(), rest.err().toString());
        assertEquals("v12", rest.out().get(0), "the group goes on where it left off");
        assertEquals(Map.of("printed", 0L), describe("readers", rows));
    }
}
