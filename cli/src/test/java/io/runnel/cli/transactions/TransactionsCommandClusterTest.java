package io.runnel.cli.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.broker.config.ServerConfig;
import io.runnel.broker.node.RunnelNode;
import io.runnel.cli.CliRunner;
import io.runnel.cli.ErrorHandlers;
import io.runnel.metadata.testing.LoopbackPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runnel transactions} against one combined Runnel node in this JVM, with real transactional producers: one
 * transaction committed, one left open. {@code list}, {@code describe} and {@code describe-producers} show them as
 * Kafka's broker reports them, {@code find-hanging} finds nothing (the coordinator still has the open one), and
 * {@code abort --start-offset} ends the open one on the partition, after which a read_committed consumer reads only
 * the committed records. Needs the broker's transaction support: FindCoordinator (TRANSACTION), InitProducerId,
 * AddPartitionsToTxn, EndTxn, WriteTxnMarkers, DescribeProducers, ListTransactions, DescribeTransactions, and
 * read_committed Fetch (last stable offset, aborted transactions).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TransactionsCommandClusterTest {
    private static final String TOPIC = "payments";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final long AWAIT_MS = 30_000;

    @TempDir
    Path dir;
    private RunnelNode node;
    private String bootstrap;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void startNode() throws Exception {
        List<Integer> ports = LoopbackPorts.free(2);
        bootstrap = "127.0.0.1:" + ports.get(0);
        Map<String, String> m = new HashMap<>();
        m.put("process.roles", "broker,controller");
        m.put("node.id", "1");
        m.put("controller.quorum.voters", "1@127.0.0.1:" + ports.get(1));
        m.put("listeners", "PLAINTEXT://" + bootstrap + ",CONTROLLER://127.0.0.1:" + ports.get(1));
        m.put("advertised.listeners", "PLAINTEXT://" + bootstrap);
        m.put("controller.listener.names", "CONTROLLER");
        m.put("inter.broker.listener.name", "PLAINTEXT");
        m.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        m.put("log.dirs", dir.resolve("node-1").toString());
        m.put("num.io.threads", "2");
        m.put("num.network.threads", "1");
        // Kafka's keys for the transaction state topic, sized for one node.
        m.put("transaction.state.log.replication.factor", "1");
        m.put("transaction.state.log.min.isr", "1");
        m.put("transaction.state.log.num.partitions", "4");
        node = RunnelNode.start(ServerConfig.of(m));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            eventually("broker 1 unfenced", () -> {
                try {
                    return admin.describeCluster().nodes().get().size();
                } catch (Exception e) {
                    return 0;
                }
            }, n -> n == 1);
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = clients.size() - 1; i >= 0; i--) {
            AutoCloseable c = clients.get(i);
            if (c instanceof KafkaProducer<?, ?> p) {
                p.close(Duration.ZERO);
            } else {
                c.close();
            }
        }
        if (node != null) {
            node.close();
        }
    }

    private KafkaProducer<String, String> transactionalProducer(String transactionalId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 600_000);
        KafkaProducer<String, String> p = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        clients.add(p);
        return p;
    }

    private CliRunner.Result transactions(String... args) {
        List<String> line = new ArrayList<>(List.of("transactions", "--bootstrap-server", bootstrap));
        line.addAll(List.of(args));
        return CliRunner.run(line.toArray(String[]::new));
    }

    /** Runs a subcommand that must succeed and returns its rows' cells (header checked, then dropped). */
    private List<List<String>> table(List<String> headers, String... args) {
        CliRunner.Result r = transactions(args);
        assertEquals(0, r.exitCode(), () -> List.of(args) + ": " + r.err());
        assertEquals(List.of(), r.err());
        assertEquals(headers, TransactionsTablesTest.cells(r.out().get(0)), r.out()::toString);
        return r.out().subList(1, r.out().size()).stream().map(TransactionsTablesTest::cells).toList();
    }

    private static Optional<List<String>> row(List<List<String>> rows, int column, String value) {
        return rows.stream().filter(r -> r.get(column).equals(value)).findFirst();
    }

    private static <T> T eventually(String what, Supplier<T> probe, Predicate<T> done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + AWAIT_MS;
        T last = probe.get();
        while (!done.test(last)) {
            assertTrue(System.currentTimeMillis() < deadline, () -> what + " within " + AWAIT_MS + " ms");
            Thread.sleep(200);
            last = probe.get();
        }
        return last;
    }

    @Test
    void listDescribeFindHangingAndAbortAnOpenTransaction() throws Exception {
        KafkaProducer<String, String> committer = transactionalProducer("committed-tx");
        committer.initTransactions();
        committer.beginTransaction();
        for (int i = 0; i < 3; i++) {
            committer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "c" + i));
        }
        committer.commitTransaction(); // offsets 0-2, the commit marker at 3
        // the commit's markers are written after EndTxn returns; CompleteCommit is recorded once they are, so the
        // open transaction below starts at offset 4
        eventually("committed-tx CompleteCommit before the open transaction", () -> table(
                TransactionTables.LIST_HEADERS, "list"), rows -> row(rows, 0, "committed-tx")
                .map(r -> r.get(3).equals("CompleteCommit")).orElse(false));

        KafkaProducer<String, String> open = transactionalProducer("open-tx");
        open.initTransactions();
        long beforeOpen = System.currentTimeMillis();
        open.beginTransaction();
        open.send(new ProducerRecord<>(TOPIC, 0, "k", "open-0"));
        open.send(new ProducerRecord<>(TOPIC, 0, "k", "open-1"));
        open.flush(); // offsets 4-5, left open
        long afterOpen = System.currentTimeMillis();

        // list: both ids on coordinator 1
        List<List<String>> listed = eventually("committed-tx CompleteCommit", () -> table(
                TransactionTables.LIST_HEADERS, "list"), rows -> row(rows, 0, "committed-tx")
                .map(r -> r.get(3).equals("CompleteCommit")).orElse(false));
        List<String> openListing = row(listed, 0, "open-tx").orElseThrow(() -> new AssertionError(listed));
        assertEquals("1", openListing.get(1));
        assertEquals("Ongoing", openListing.get(3));
        String producerId = openListing.get(2);
        assertEquals("1", row(listed, 0, "committed-tx").orElseThrow().get(1));
        assertEquals(List.of(List.of("open-tx", "1", producerId, "Ongoing")), table(TransactionTables.LIST_HEADERS,
                "list", "--transactional-id-pattern", "open.*"), "KIP-1152's filter (ListTransactions v2)");
        assertEquals(List.of(), table(TransactionTables.LIST_HEADERS, "list", "--duration-filter", "3600000"),
                "KIP-994's filter (ListTransactions v1): nothing runs longer than an hour");
        // Kafka's coordinator compares the start of the last transaction, finished or not, with the filter
        assertEquals(List.of("committed-tx", "open-tx"), table(TransactionTables.LIST_HEADERS, "list",
                "--duration-filter", "0").stream().map(r -> r.get(0)).toList());

        // describe-producers: the committed producer has no open transaction, the open one starts at offset 4
        List<List<String>> producers = table(TransactionTables.PRODUCER_HEADERS, "describe-producers", "--topic",
                TOPIC, "--partition", "0");
        assertEquals(2, producers.size(), producers::toString);
        List<String> openProducer = row(producers, 0, producerId).orElseThrow(() -> new AssertionError(producers));
        assertEquals("-1", openProducer.get(2), "no marker written for this producer yet");
        assertEquals("1", openProducer.get(3), "sequences 0 and 1");
        long lastTimestamp = Long.parseLong(openProducer.get(4));
        assertTrue(lastTimestamp >= beforeOpen && lastTimestamp <= afterOpen, openProducer::toString);
        assertEquals("4", openProducer.get(5));
        List<String> committedProducer = producers.stream().filter(r -> r != openProducer).findFirst().orElseThrow();
        // (its LastSequence is 2, or -1 when the commit marker bumped its epoch: transaction.version 2, KIP-890)
        assertEquals("None", committedProducer.get(5));
        assertEquals(producers, table(TransactionTables.PRODUCER_HEADERS, "describe-producers", "--topic", TOPIC,
                "--partition", "0", "--broker-id", "1"), "the leader's replica, asked by broker id");

        // describe: the coordinator's view of the open transaction
        List<List<String>> described = table(TransactionTables.DESCRIBE_HEADERS, "describe", "--transactional-id",
                "open-tx");
        assertEquals(1, described.size());
        List<String> d = described.get(0);
        assertEquals(List.of("1", "open-tx", producerId, openProducer.get(1), "Ongoing", "600000"), d.subList(0, 6));
        long startMs = Long.parseLong(d.get(6));
        assertTrue(startMs >= beforeOpen - 1000 && startMs <= afterOpen, d::toString);
        assertTrue(Long.parseLong(d.get(7)) >= 0, d::toString);
        assertEquals(TP.toString(), d.get(8));
        CliRunner.Result unknown = transactions("describe", "--transactional-id", "no-such-id");
        assertEquals(ErrorHandlers.EXIT_FAILURE, unknown.exitCode(), unknown.err()::toString);
        assertTrue(unknown.err().get(0).startsWith("runnel: Failed to describe transaction state of "
                + "transactional-id 'no-such-id': TRANSACTIONAL_ID_NOT_FOUND: "), unknown.err()::toString);

        // find-hanging: the open transaction is a candidate at timeout 0, but its coordinator still has payments-0
        assertEquals(List.of(), table(TransactionTables.HANGING_HEADERS, "find-hanging", "--topic", TOPIC,
                "--max-transaction-timeout", "0"));
        assertEquals(List.of(), table(TransactionTables.HANGING_HEADERS, "find-hanging", "--broker-id", "1",
                "--max-transaction-timeout", "0"));
        assertEquals(List.of(), table(TransactionTables.HANGING_HEADERS, "find-hanging", "--topic", TOPIC,
                "--partition", "0"));

        // abort by start offset: the leader writes an abort marker for the open producer
        CliRunner.Result aborted = transactions("abort", "--topic", TOPIC, "--partition", "0", "--start-offset", "4");
        assertEquals(0, aborted.exitCode(), aborted.err()::toString);
        assertEquals(List.of(), aborted.out());
        List<List<String>> after = table(TransactionTables.PRODUCER_HEADERS, "describe-producers", "--topic", TOPIC,
                "--partition", "0");
        assertEquals("None", row(after, 0, producerId).orElseThrow(() -> new AssertionError(after)).get(5));
        CliRunner.Result again = transactions("abort", "--topic", TOPIC, "--partition", "0", "--start-offset", "4");
        assertEquals(ErrorHandlers.EXIT_FAILURE, again.exitCode());
        assertEquals(List.of("runnel: Could not find any open transactions starting at offset 4 on partition "
                + TP), again.err());

        // read_committed: the last stable offset is past the abort marker (offset 6) and only c0-c2 are read
        assertEquals(List.of("c0", "c1", "c2"), readCommitted());
    }

    private List<String> readCommitted() throws InterruptedException {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer());
        clients.add(consumer);
        consumer.assign(List.of(TP));
        eventually("last stable offset 7", () -> consumer.endOffsets(List.of(TP)).get(TP), lso -> lso == 7L);
        List<String> values = new ArrayList<>();
        long deadline = System.currentTimeMillis() + AWAIT_MS;
        while (consumer.position(TP) < 7 && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                values.add(r.value());
            }
        }
        assertEquals(7L, consumer.position(TP));
        return values;
    }
}
