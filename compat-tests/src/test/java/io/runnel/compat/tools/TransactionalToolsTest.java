package io.runnel.compat.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.compat.JavaProcess;
import io.runnel.compat.RunnelNode;
import io.runnel.compat.Waits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka 4.4's own transactional tools (kafka-tools 4.4, each run as a JVM of its own as
 * {@code kafka-producer-perf-test.sh} and {@code kafka-transactions.sh} would) against one Runnel node process:
 * {@code ProducerPerformance} with {@code --transactional-id} commits 20,000 records in 100 ms transactions, which a
 * read_committed consumer then reads; {@code TransactionsCommand}'s {@code list}, {@code describe},
 * {@code describe-producers} and {@code find-hanging} show a transaction the test leaves open, and its {@code abort}
 * ends that transaction on the partition (an abort marker), after which the partition's last stable offset is past
 * it and its records stay invisible to read_committed consumers.
 *
 * <p>On failure the work directory (the node's log, each tool's {@code .out}/{@code .err}) is kept.
 */
class TransactionalToolsTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration TOOL_LIMIT = Duration.ofSeconds(150);
    private static final String PERF_TOPIC = "perf-txn-topic";
    private static final String OPEN_TOPIC = "open-txn-topic";
    private static final String OPEN_TXN = "left-open";
    private static final int OPEN_RECORDS = 5;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void producerPerformanceAndTransactionsCommandWork() throws Exception {
        try (RunnelNode node = RunnelNode.start(workDir.resolve("node"))) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic(PERF_TOPIC, 3, (short) 1), new NewTopic(OPEN_TOPIC, 1,
                        (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try {
                producerPerformance(node);
                transactionsCommand(node);
            } finally {
                node.copyLogTo(RunnelNode.repoRoot().resolve("compat-tests/target/txn-tools-node.log"));
            }
        }
    }

    private void producerPerformance(RunnelNode node) throws Exception {
        JavaProcess perf = JavaProcess.run(workDir, "producer-performance", TOOL_LIMIT,
                "org.apache.kafka.tools.ProducerPerformance", "--topic", PERF_TOPIC, "--num-records", "20000",
                "--record-size", "100", "--throughput", "-1", "--transactional-id", "perf-txn",
                "--transaction-duration-ms", "100", "--producer-props", "bootstrap.servers=" + node.bootstrap());
        assertEquals(0, perf.exitCode(), perf.describe());
        String summary = perf.stdout().lines().filter(l -> l.startsWith("20000 records sent,")).findFirst()
                .orElseThrow(() -> new AssertionError("no summary line: " + describe(perf)));
        assertTrue(summary.contains("records/sec") && summary.contains("ms avg latency"), summary);
        System.out.println("TransactionalToolsTest: ProducerPerformance: " + summary);

        List<TopicPartition> tps = List.of(new TopicPartition(PERF_TOPIC, 0), new TopicPartition(PERF_TOPIC, 1),
                new TopicPartition(PERF_TOPIC, 2));
        try (KafkaConsumer<byte[], byte[]> consumer = readCommitted(node)) {
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            AtomicLong read = new AtomicLong();
            Waits.await("a read_committed consumer to read 20,000 records", WAIT, () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    assertEquals(100, r.value().length, "record size");
                    read.incrementAndGet();
                }
                return read.get() >= 20_000;
            }, () -> read.get() + " records");
            consumer.poll(Duration.ofMillis(500)).forEach(r -> read.incrementAndGet());
            assertEquals(20_000, read.get(), "records read by read_committed");
        }
    }

    private void transactionsCommand(RunnelNode node) throws Exception {
        try (KafkaProducer<String, String> open = openTransaction(node)) {
            Table list = tool(node, "list");
            Map<String, String> openRow = list.row("TransactionalId", OPEN_TXN);
            assertEquals("Ongoing", openRow.get("TransactionState"), list.text());
            assertEquals("1", openRow.get("Coordinator"), list.text());
            String producerId = openRow.get("ProducerId");
            // The coordinator records CompleteCommit once the last transaction's markers are written, which it does
            // after EndTxn returned to ProducerPerformance.
            Table[] last = {list};
            Waits.await("perf-txn's last transaction to complete", WAIT, () -> {
                if (!"CompleteCommit".equals(last[0].row("TransactionalId", "perf-txn").get("TransactionState"))) {
                    last[0] = tool(node, "list");
                    return false;
                }
                return true;
            }, () -> last[0].text());

            Table describe = tool(node, "describe", "--transactional-id", OPEN_TXN);
            Map<String, String> d = describe.row("TransactionalId", OPEN_TXN);
            assertEquals(producerId, d.get("ProducerId"), describe.text());
            assertEquals("Ongoing", d.get("TransactionState"), describe.text());
            assertEquals("600000", d.get("TransactionTimeoutMs"), describe.text());
            assertEquals(OPEN_TOPIC + "-0", d.get("TopicPartitions"), describe.text());

            Table producers = tool(node, "describe-producers", "--topic", OPEN_TOPIC, "--partition", "0");
            Map<String, String> p = producers.row("ProducerId", producerId);
            assertEquals("0", p.get("CurrentTransactionStartOffset"), producers.text());
            assertEquals(Integer.toString(OPEN_RECORDS - 1), p.get("LastSequence"), producers.text());

            // The coordinator knows the open transaction (Ongoing, with this partition): not hanging.
            Table hanging = tool(node, "find-hanging", "--broker-id", "1", "--max-transaction-timeout", "0");
            assertTrue(hanging.rows().stream().noneMatch(r -> producerId.equals(r.get("ProducerId"))),
                    hanging.text());

            Table abort = tool(node, "abort", "--topic", OPEN_TOPIC, "--partition", "0", "--start-offset", "0");
            TopicPartition tp = new TopicPartition(OPEN_TOPIC, 0);
            try (KafkaConsumer<byte[], byte[]> consumer = readCommitted(node)) {
                consumer.assign(List.of(tp));
                // The abort marker follows the open transaction's records (offsets 0..4): the LSO moves past them.
                Waits.await("the last stable offset of " + tp + " to move past the aborted transaction", WAIT,
                        () -> consumer.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp) > OPEN_RECORDS,
                        () -> "end offset " + consumer.endOffsets(List.of(tp), Duration.ofSeconds(10)) + "; abort: "
                                + abort.text());
                long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
                consumer.seekToBeginning(List.of(tp));
                List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
                Waits.await("a read_committed consumer to reach offset " + end, WAIT, () -> {
                    consumer.poll(Duration.ofMillis(300)).forEach(seen::add);
                    return consumer.position(tp, Duration.ofSeconds(10)) >= end;
                }, () -> seen.size() + " records");
                assertTrue(seen.isEmpty(), "records of the aborted transaction visible: " + seen);
            }
            Table after = tool(node, "describe-producers", "--topic", OPEN_TOPIC, "--partition", "0");
            assertEquals("None", after.row("ProducerId", producerId).get("CurrentTransactionStartOffset"),
                    after.text());
            open.close(Duration.ZERO);
        }
    }

    /** A transactional producer that sends {@value #OPEN_RECORDS} records and neither commits nor aborts. */
    private static KafkaProducer<String, String> openTransaction(RunnelNode node) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrap());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, OPEN_TXN);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 600_000);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        KafkaProducer<String, String> producer = new KafkaProducer<>(p);
        producer.initTransactions();
        producer.beginTransaction();
        for (int i = 0; i < OPEN_RECORDS; i++) {
            producer.send(new ProducerRecord<>(OPEN_TOPIC, 0, "k" + i, "never committed " + i));
        }
        producer.flush();
        return producer;
    }

    /** Runs {@code kafka-transactions.sh}'s class with {@code args}; it must exit 0. */
    private Table tool(RunnelNode node, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", node.bootstrap()));
        all.addAll(List.of(args));
        JavaProcess p = JavaProcess.run(workDir, "transactions-" + args[0], TOOL_LIMIT,
                "org.apache.kafka.tools.TransactionsCommand", all.toArray(String[]::new));
        assertEquals(0, p.exitCode(), p.describe());
        System.out.println("TransactionalToolsTest: kafka-transactions " + String.join(" ", args) + "\n"
                + p.stdout());
        return Table.parse(p.stdout());
    }

    private static KafkaConsumer<byte[], byte[]> readCommitted(RunnelNode node) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    private static String describe(JavaProcess p) {
        try {
            return p.describe();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
