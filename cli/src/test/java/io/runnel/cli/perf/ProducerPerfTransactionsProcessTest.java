package io.runnel.cli.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.cli.LaunchedProcesses;
import io.runnel.cli.RunnelServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/runnel producer-perf-test --transactional-id/--transaction-duration-ms} as real processes: bad values
 * are exit 2 with one line and the usage hint; against a real {@code bin/runnel server-start} node the run's stdout
 * is only Kafka's lines, stderr is the one {@code N transactions committed} line, and the partition holds the
 * records plus one commit marker per transaction, all visible to a read_committed consumer.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ProducerPerfTransactionsProcessTest {

    private static final Path LAUNCHER = LaunchedProcesses.repoRoot().resolve("bin/runnel");
    private static final String WINDOW = "\\d+ records sent, \\d+\\.\\d records/sec \\(\\d+\\.\\d{2} MB/sec\\), "
            + "\\d+\\.\\d ms avg latency, \\d+\\.\\d ms max latency\\.";
    private static final String TOTAL = "\\d+ records sent, \\d+\\.\\d{6} records/sec \\(\\d+\\.\\d{2} MB/sec\\), "
            + "\\d+\\.\\d{2} ms avg latency, \\d+\\.\\d{2} ms max latency, \\d+ ms 50th, \\d+ ms 95th, \\d+ ms 99th, "
            + "\\d+ ms 99\\.9th\\.";

    @TempDir
    Path dir;
    private LaunchedProcesses processes;

    @BeforeEach
    void setUp() {
        processes = new LaunchedProcesses(dir);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        processes.close();
    }

    private LaunchedProcesses.Result runnel(String... args) throws Exception {
        return processes.run(LAUNCHER, LaunchedProcesses.skipBuildEnv(), args);
    }

    @Test
    void badValuesAreExitTwoWithOneLine() throws Exception {
        LaunchedProcesses.Result r = runnel("producer-perf-test", "--topic", "t", "--num-records", "1",
                "--record-size", "1", "--throughput", "-1", "--bootstrap-server", "127.0.0.1:1",
                "--transactional-id", "x", "--transaction-duration-ms", "0");
        assertEquals(2, r.exitCode(), r.err().toString());
        assertEquals(List.of("runnel: --transaction-duration-ms should be greater than zero",
                "Run 'runnel producer-perf-test --help' for usage."), r.err());
        assertEquals(List.of(), r.out());

        r = runnel("producer-perf-test", "--topic", "t", "--num-records", "1", "--record-size", "1",
                "--throughput", "-1", "--bootstrap-server", "127.0.0.1:1", "--transaction-duration-ms", "soon");
        assertEquals(2, r.exitCode(), r.err().toString());
        assertEquals(2, r.err().size(), r.err().toString());
        assertTrue(r.err().get(0).startsWith("runnel: ") && r.err().get(0).contains("'soon'"), r.err().get(0));
    }

    @Test
    void commitsTransactionsOnARealNode() throws Exception {
        String bootstrap = RunnelServerProcess.start(processes, dir.resolve("data")).bootstrap();
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic("perf-txn", 1, (short) 1))).all().get();
        }
        int records = 2000;
        // 2,000 records at 4,000/s: about half a second, so transactions of 50 ms commit several times
        LaunchedProcesses.Result r = runnel("producer-perf-test", "--topic", "perf-txn", "--num-records",
                Integer.toString(records), "--record-size", "100", "--throughput", "4000", "--transactional-id",
                "perf-txn-test", "--transaction-duration-ms", "50", "--reporting-interval", "100",
                "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all");
        assertEquals(0, r.exitCode(), r.err().toString());
        for (String line : r.out().subList(0, r.out().size() - 1)) {
            assertTrue(line.matches(WINDOW), line);
        }
        String total = r.out().get(r.out().size() - 1);
        assertTrue(total.matches(TOTAL) && total.startsWith(records + " records sent, "), total);
        assertEquals(1, r.err().size(), r.err().toString());
        assertTrue(r.err().get(0).matches("\\d+ transactions committed"), r.err().get(0));
        long committed = Long.parseLong(r.err().get(0).split(" ")[0]);
        assertTrue(committed >= 2, r.err().get(0));

        TopicPartition tp = new TopicPartition("perf-txn", 0);
        try (Admin admin = Admin.create(p)) {
            long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
            assertEquals(records + committed, end, "one commit marker per transaction");
        }
        Properties c = new Properties();
        c.put("bootstrap.servers", bootstrap);
        c.put("isolation.level", "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long read = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (read < records && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
                read += batch.count();
            }
            assertEquals(records, read);
        }
    }
}
