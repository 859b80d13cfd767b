package io.runnel.cli.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.cli.LaunchedProcesses;
import io.runnel.cli.RunnelServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/runnel delete-records} as real processes against a real {@code bin/runnel server-start} node: the
 * {@code --topic/--partition/--before-offset} form and Kafka's {@code --offset-json-file} form print Kafka's lines
 * and move the log start offset (ListOffsets earliest); a partition the broker refuses is an {@code error:} line and
 * exit 1; bad flags are exit 2 with one line.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DeleteRecordsProcessTest {
    private static final Path LAUNCHER = LaunchedProcesses.repoRoot().resolve("bin/runnel");

    @TempDir
    Path dir;
    private LaunchedProcesses processes;
    private String bootstrap;

    @BeforeEach
    void setUp() throws Exception {
        processes = new LaunchedProcesses(dir);
        bootstrap = RunnelServerProcess.start(processes, dir.resolve("data")).bootstrap();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        processes.close();
    }

    private LaunchedProcesses.Result runnel(String... args) throws Exception {
        return processes.run(LAUNCHER, LaunchedProcesses.skipBuildEnv(), args);
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return Admin.create(p);
    }

    /** Topic {@code t} with 2 partitions of 100 records each. */
    private void fill() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("t", 2, (short) 1))).all().get();
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("t", 0, "k" + i, "v" + i));
                producer.send(new ProducerRecord<>("t", 1, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    private long earliest(int partition) throws Exception {
        TopicPartition tp = new TopicPartition("t", partition);
        try (Admin admin = admin()) {
            return admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get().offset();
        }
    }

    @Test
    void bothFormsDeleteAndPrintKafkasLines() throws Exception {
        fill();
        LaunchedProcesses.Result single = runnel("delete-records", "--bootstrap-server", bootstrap, "--topic", "t",
                "--partition", "0", "--before-offset", "30");
        assertEquals(0, single.exitCode(), single.err()::toString);
        assertEquals(List.of("Executing records delete operation", "Records delete operation completed:",
                "partition: t-0\tlow_watermark: 30"), single.out());
        assertEquals(List.of(), single.err());
        assertEquals(30, earliest(0));

        Path json = dir.resolve("offsets.json");
        Files.writeString(json, "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"offset\":50},"
                + "{\"topic\":\"t\",\"partition\":1,\"offset\":-1}],\"version\":1}");
        LaunchedProcesses.Result file = runnel("delete-records", "--bootstrap-server", bootstrap,
                "--offset-json-file", json.toString());
        assertEquals(0, file.exitCode(), file.err()::toString);
        assertEquals(List.of("Executing records delete operation", "Records delete operation completed:",
                "partition: t-0\tlow_watermark: 50", "partition: t-1\tlow_watermark: 100"), file.out());
        assertEquals(50, earliest(0));
        assertEquals(100, earliest(1), "-1: up to the high watermark");

        LaunchedProcesses.Result beyond = runnel("delete-records", "--bootstrap-server", bootstrap, "--topic", "t",
                "--partition", "0", "--before-offset", "101");
        assertEquals(1, beyond.exitCode());
        assertEquals(3, beyond.out().size(), beyond.out()::toString);
        assertTrue(beyond.out().get(2).startsWith("partition: t-0\terror: "), beyond.out().get(2));
        assertEquals(List.of("runnel: 1 of 1 partitions failed"), beyond.err());
        assertEquals(50, earliest(0));
    }

    @Test
    void badFlagsAreExitTwoWithOneLine() throws Exception {
        LaunchedProcesses.Result both = runnel("delete-records", "--bootstrap-server", bootstrap, "--topic", "t",
                "--partition", "0", "--before-offset", "1", "--offset-json-file", "x.json");
        assertEquals(2, both.exitCode());
        assertEquals(List.of("runnel: give either --offset-json-file or --topic with --partition and "
                + "--before-offset", "Run 'runnel delete-records --help' for usage."), both.err());
        LaunchedProcesses.Result partial = runnel("delete-records", "--bootstrap-server", bootstrap, "--topic", "t");
        assertEquals(2, partial.exitCode());
        assertEquals("runnel: --topic, --partition and --before-offset go together", partial.err().get(0));
        assertEquals(List.of(), partial.out());
    }
}
