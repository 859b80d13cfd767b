package io.runnel.cli.compat.groups;

import io.runnel.metadata.testing.LoopbackPorts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka's own group tools (test-scoped {@code org.apache.kafka:kafka-tools}) against a Runnel node started by
 * {@code bin/runnel server-start}: {@code ConsoleConsumer} with {@code --group} and without (it then makes up a
 * group {@code console-consumer-NNNNN}), and {@code ConsumerGroupCommand} (what {@code kafka-consumer-groups.sh}
 * runs) {@code --list} and {@code --describe}, whose tables equal those of {@code runnel consumer-groups}. Each tool
 * runs as its own JVM on this test's classpath, as {@code kafka-run-class.sh} would, so its {@code Exit.exit} ends
 * only that JVM. Every process is killed in teardown.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KafkaGroupToolsTest {
    private static final long TOOL_TIMEOUT_S = 90;

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private int runs;
    private String bootstrap;

    record Result(int exitCode, List<String> out, List<String> err) {
    }

    private static Path repoRoot() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
    }

    private static int freePort() throws IOException {
        return LoopbackPorts.free();
    }

    private Process start(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve("out-" + runs + ".txt").toFile())
                .redirectError(dir.resolve("err-" + runs + ".txt").toFile());
        runs++;
        pb.environment().keySet().removeIf(k -> k.startsWith("RUNNEL_"));
        pb.environment().put("RUNNEL_SKIP_BUILD", "1");
        pb.environment().put("RUNNEL_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private Result run(List<String> command) throws Exception {
        int run = runs;
        Process p = start(command);
        if (!p.waitFor(TOOL_TIMEOUT_S, TimeUnit.SECONDS)) {
            throw new AssertionError(String.join(" ", command) + " did not finish in " + TOOL_TIMEOUT_S + " s");
        }
        return new Result(p.exitValue(), Files.readAllLines(dir.resolve("out-" + run + ".txt")),
                Files.readAllLines(dir.resolve("err-" + run + ".txt")));
    }

    /** {@code java -cp <test classpath> mainClass args...}. */
    private Result kafkaTool(String mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(Arrays.asList(args));
        return run(command);
    }

    private Result runnel(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(repoRoot().resolve("bin/runnel").toString()));
        command.addAll(Arrays.asList(args));
        return run(command);
    }

    @BeforeEach
    void startServer() throws Exception {
        int controller = freePort();
        int broker = freePort();
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
        int run = runs;
        Process server = start(List.of(repoRoot().resolve("bin/runnel").toString(), "server-start",
                config.toString()));
        bootstrap = "127.0.0.1:" + broker;
        Path log = dir.resolve("err-" + run + ".txt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TOOL_TIMEOUT_S);
        while (!(Files.exists(log) && Files.readAllLines(log).stream().anyMatch(l -> l.contains("Listening on "
                + "PLAINTEXT")))) {
            assertTrue(server.isAlive(), "the server exited");
            assertTrue(System.nanoTime() < deadline, "the server did not start");
            Thread.sleep(50);
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic("events", 2, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>("events", "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void consoleConsumerWithAGroupAndConsumerGroupCommandDescribeAsRunnelDoes() throws Exception {
        Result consumed = kafkaTool("org.apache.kafka.tools.consumer.ConsoleConsumer", "--bootstrap-server",
                bootstrap, "--topic", "events", "--group", "kafka-readers", "--from-beginning", "--max-messages",
                "8", "--timeout-ms", "60000");
        assertEquals(0, consumed.exitCode(), consumed.err()::toString);
        assertEquals(8, consumed.out().size(), consumed.out()::toString);

        Result listed = kafkaTool("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", "--bootstrap-server",
                bootstrap, "--list");
        assertEquals(0, listed.exitCode(), listed.err()::toString);
        assertEquals(List.of("kafka-readers"), listed.out());

        for (List<String> sub : List.of(List.<String>of(), List.of("--members"), List.of("--state"),
                List.of("--members", "--verbose"))) {
            List<String> args = new ArrayList<>(List.of("--bootstrap-server", bootstrap, "--describe", "--group",
                    "kafka-readers"));
            args.addAll(sub);
            Result kafkas = kafkaTool("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
                    args.toArray(String[]::new));
            assertEquals(0, kafkas.exitCode(), kafkas.err()::toString);
            List<String> runnelArgs = new ArrayList<>(List.of("consumer-groups"));
            runnelArgs.addAll(args);
            Result runnels = runnel(runnelArgs.toArray(String[]::new));
            assertEquals(0, runnels.exitCode(), runnels.err()::toString);
            List<String> tables = new ArrayList<>(runnels.out());
            tables.removeIf(l -> l.startsWith("Total lag of topic "));
            assertEquals(kafkas.out(), tables, "describe " + sub);
            if (sub.isEmpty()) {
                assertTrue(kafkas.out().get(1).startsWith("GROUP "), kafkas.out()::toString);
                assertEquals(4, kafkas.out().size(), kafkas.out()::toString);
                long lag = kafkas.out().subList(2, 4).stream().mapToLong(l -> Long.parseLong(l.trim()
                        .split(" +")[5])).sum();
                assertEquals(12, lag, kafkas.out()::toString);
                assertTrue(runnels.out().contains("Total lag of topic events: 12"), runnels.out()::toString);
            }
        }
    }

    @Test
    void consoleConsumerWithoutAGroupMakesOneUp() throws Exception {
        Result consumed = kafkaTool("org.apache.kafka.tools.consumer.ConsoleConsumer", "--bootstrap-server",
                bootstrap, "--topic", "events", "--from-beginning", "--max-messages", "20", "--timeout-ms", "60000");
        assertEquals(0, consumed.exitCode(), consumed.err()::toString);
        assertEquals(20, consumed.out().size(), consumed.out()::toString);
        assertTrue(consumed.out().containsAll(List.of("v0", "v19")), consumed.out()::toString);

        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            List<String> groups = admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(g -> g.groupId()).toList();
            assertEquals(1, groups.size(), groups::toString);
            assertTrue(groups.get(0).matches("console-consumer-\\d+"), groups::toString);
            // Kafka's console consumer without --group does not commit: the made-up group has no offsets
            assertEquals(0, admin.listConsumerGroupOffsets(groups.get(0)).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).values().stream().filter(o -> o != null).count());
        }
    }
}
