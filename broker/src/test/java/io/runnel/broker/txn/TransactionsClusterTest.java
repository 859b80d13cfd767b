package io.runnel.broker.txn;

import io.runnel.broker.testing.NodeCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transactions end to end on three combined nodes in this JVM with real kafka-clients (KIP-98): commit and abort
 * seen by read_committed and read_uncommitted consumers, the last stable offset in ListOffsets, a
 * consume-transform-produce loop's offsets committed with its transaction, producer fencing, the coordinator's
 * timeout abort, transactional.id expiry, and the admin APIs (ListTransactions, DescribeTransactions,
 * DescribeProducers).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TransactionsClusterTest {
    @TempDir
    static Path dir;
    private static NodeCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = NodeCluster.start(dir, 3, Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms",
                "500", "group.initial.rebalance.delay.ms", "0", "transactional.id.expiration.ms", "6000",
                "transaction.remove.expired.transaction.cleanup.interval.ms", "500"));
        admin = cluster.admin();
        admin.createTopics(List.of(new NewTopic("txn-in", 3, (short) 3), new NewTopic("txn-out", 3, (short) 3),
                new NewTopic("txn-plain", 3, (short) 3), new NewTopic("txn-timeout", 1, (short) 3),
                new NewTopic("txn-pipelined", 3, (short) 3)))
                .all().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static KafkaProducer<String, String> producer(String transactionalId, Map<String, Object> extra) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.putAll(extra);
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<String, String> consumer(IsolationLevel isolation, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    /** {@link TxnTestReads#readAll} on this class's cluster: every value up to the end offsets, markers awaited. */
    private static List<String> readAll(String topic, int n, IsolationLevel isolation) throws Exception {
        return TxnTestReads.readAll(cluster, admin, topic, n, isolation);
    }

    @Test
    void readCommittedSeesCommittedTransactionsOnlyAndReadUncommittedSeesAll() throws Exception {
        try (KafkaProducer<String, String> p = producer("commit-abort", Map.of())) {
            p.initTransactions();
            p.beginTransaction();
            for (int i = 0; i < 6; i++) {
                p.send(new ProducerRecord<>("txn-plain", i % 3, null, "committed-a-" + i));
            }
            p.commitTransaction();
            p.beginTransaction();
            for (int i = 0; i < 6; i++) {
                p.send(new ProducerRecord<>("txn-plain", i % 3, null, "aborted-" + i));
            }
            p.flush();
            p.abortTransaction();
            p.beginTransaction();
            for (int i = 0; i < 6; i++) {
                p.send(new ProducerRecord<>("txn-plain", i % 3, null, "committed-b-" + i));
            }
            p.commitTransaction();
        }
        Set<String> committed = new TreeSet<>(readAll("txn-plain", 3, IsolationLevel.READ_COMMITTED));
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 6; i++) {
            expected.add("committed-a-" + i);
            expected.add("committed-b-" + i);
        }
        assertEquals(expected, committed);
        List<String> all = readAll("txn-plain", 3, IsolationLevel.READ_UNCOMMITTED);
        assertEquals(18, all.size(), "read_uncommitted sees the aborted records too (markers are not records): "
                + all);
    }

    /**
     * Small batches, five in flight: each transaction's first batch on a partition is verified at the coordinator
     * while the next ones are already on their way, and must still be appended in order (a regression: the next
     * batch was once appended first and the producer died of OUT_OF_ORDER_SEQUENCE_NUMBER).
     */
    @Test
    void pipelinedBatchesOfEachTransactionAreAppendedInOrder() throws Exception {
        try (KafkaProducer<String, String> p = producer("pipelined", Map.of(ProducerConfig.BATCH_SIZE_CONFIG, 512,
                ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5))) {
            p.initTransactions();
            for (int t = 0; t < 8; t++) {
                p.beginTransaction();
                for (int i = 0; i < 600; i++) {
                    p.send(new ProducerRecord<>("txn-pipelined", i % 3, null, "t" + t + "-" + i + "-"
                            + "x".repeat(80)));
                }
                p.commitTransaction();
            }
        }
        List<String> values = readAll("txn-pipelined", 3, IsolationLevel.READ_COMMITTED);
        assertEquals(4800, values.size());
        assertEquals(4800, new TreeSet<>(values).size());
    }

    @Test
    void anOpenTransactionHoldsTheLastStableOffsetAndIsListedAndDescribed() throws Exception {
        TopicPartition tp = new TopicPartition("txn-plain", 0);
        long before;
        try (KafkaProducer<String, String> p = producer("open-one", Map.of())) {
            p.initTransactions();
            before = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp)
                    .get(30, TimeUnit.SECONDS).offset();
            p.beginTransaction();
            p.send(new ProducerRecord<>("txn-plain", 0, null, "open")).get(30, TimeUnit.SECONDS);
            long hw = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp)
                    .get(30, TimeUnit.SECONDS).offset();
            long lso = admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).partitionResult(tp)
                    .get(30, TimeUnit.SECONDS).offset();
            assertEquals(before + 1, hw);
            assertEquals(before, lso, "the open transaction's first offset bounds read_committed");
            Collection<TransactionListing> listed = admin.listTransactions().all().get(30, TimeUnit.SECONDS);
            assertTrue(listed.stream().anyMatch(l -> l.transactionalId().equals("open-one")
                    && l.state().toString().equals("Ongoing")), "listed: " + listed);
            TransactionDescription d = admin.describeTransactions(List.of("open-one")).description("open-one")
                    .get(30, TimeUnit.SECONDS);
            assertEquals(Set.of(tp), d.topicPartitions());
            var producers = admin.describeProducers(List.of(tp)).partitionResult(tp).get(30, TimeUnit.SECONDS)
                    .activeProducers();
            long start = before;
            assertTrue(producers.stream().anyMatch(s -> s.currentTransactionStartOffset().orElse(-1) == start),
                    "describe-producers shows the open transaction at " + before + ": " + producers);
            p.commitTransaction();
        }
        // commitTransaction returns once PrepareCommit is recorded; the marker follows (as in Kafka).
        TxnTestReads.awaitMarkers(admin, List.of(tp));
        assertEquals(before + 2, admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp)
                .get(30, TimeUnit.SECONDS).offset(), "the record and the commit marker");
    }

    @Test
    void consumeTransformProduceCommitsOffsetsWithTheTransaction() throws Exception {
        try (KafkaProducer<String, String> seed = producer("seed", Map.of())) {
            seed.initTransactions();
            seed.beginTransaction();
            for (int i = 0; i < 30; i++) {
                seed.send(new ProducerRecord<>("txn-in", i % 3, null, "in-" + i));
            }
            seed.commitTransaction();
        }
        String group = "ctp";
        int copied = 0;
        try (KafkaConsumer<String, String> in = consumer(IsolationLevel.READ_COMMITTED, group);
             KafkaProducer<String, String> out = producer("ctp-1", Map.of())) {
            out.initTransactions();
            in.subscribe(List.of("txn-in"));
            boolean abortedOnce = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (copied < 30) {
                assertTrue(System.nanoTime() < deadline, "copied only " + copied);
                var records = in.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                out.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<String, String> r : records) {
                    out.send(new ProducerRecord<>("txn-out", r.partition(), null, r.value().replace("in", "out")));
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                out.sendOffsetsToTransaction(offsets, in.groupMetadata());
                if (!abortedOnce) {
                    abortedOnce = true;
                    out.abortTransaction();
                    // rewind to the last committed offsets, as an application does after an abort
                    for (TopicPartition tp : offsets.keySet()) {
                        OffsetAndMetadata c = in.committed(Set.of(tp)).get(tp);
                        in.seek(tp, c == null ? 0 : c.offset());
                    }
                    continue;
                }
                out.commitTransaction();
                copied += records.count();
            }
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        long total = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        assertEquals(30, total, "the offset after the last record of each input partition: " + committed);
        List<String> output = readAll("txn-out", 3, IsolationLevel.READ_COMMITTED);
        assertEquals(30, output.size(), "every input record once in the output: " + output);
        assertEquals(30, new TreeSet<>(output).size());
    }

    @Test
    void aSecondProducerWithTheSameIdFencesTheFirst() throws Exception {
        try (KafkaProducer<String, String> first = producer("fenced", Map.of());
             KafkaProducer<String, String> second = producer("fenced", Map.of())) {
            first.initTransactions();
            first.beginTransaction();
            first.send(new ProducerRecord<>("txn-plain", 1, null, "zombie")).get(30, TimeUnit.SECONDS);
            second.initTransactions(); // aborts the first one's open transaction and bumps the epoch
            KafkaException e = assertThrows(KafkaException.class, first::commitTransaction);
            assertTrue(e instanceof ProducerFencedException
                    || e.getCause() instanceof ProducerFencedException
                    || e.getClass().getSimpleName().contains("Fenced")
                    || e.getClass().getSimpleName().contains("InvalidProducerEpoch"), "fenced: " + e);
            second.beginTransaction();
            second.send(new ProducerRecord<>("txn-plain", 1, null, "survivor"));
            second.commitTransaction();
        }
        List<String> values = readAll("txn-plain", 3, IsolationLevel.READ_COMMITTED);
        assertTrue(values.contains("survivor"));
        assertTrue(!values.contains("zombie"), "the fenced producer's record was aborted: " + values);
    }

    @Test
    void anIdleTransactionalIdExpires() throws Exception {
        try (KafkaProducer<String, String> p = producer("short-lived", Map.of())) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>("txn-plain", 2, null, "once"));
            p.commitTransaction();
        }
        String state = admin.describeTransactions(List.of("short-lived")).description("short-lived")
                .get(30, TimeUnit.SECONDS).state().toString();
        assertTrue(Set.of("PrepareCommit", "CompleteCommit").contains(state), "committed (markers may be on their "
                + "way): " + state);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                admin.describeTransactions(List.of("short-lived")).description("short-lived").get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                assertTrue(e.getCause() instanceof org.apache.kafka.common.errors.TransactionalIdNotFoundException,
                        "expired: " + e.getCause());
                break;
            }
            assertTrue(System.nanoTime() < deadline, "transactional.id.expiration.ms=6000 did not remove the id");
            Thread.sleep(500);
        }
    }

    @Test
    void theCoordinatorAbortsATransactionPastItsTimeout() throws Exception {
        TopicPartition tp = new TopicPartition("txn-timeout", 0);
        try (KafkaProducer<String, String> p = producer("slow", Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                2000))) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>("txn-timeout", 0, null, "expired")).get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                long lso = admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).partitionResult(tp)
                        .get(30, TimeUnit.SECONDS).offset();
                if (lso == 2) {
                    break; // the record and the coordinator's abort marker
                }
                assertTrue(System.nanoTime() < deadline, "the timed-out transaction was not aborted; LSO " + lso);
                Thread.sleep(200);
            }
            assertThrows(KafkaException.class, p::commitTransaction);
        }
        assertEquals(List.of(), readAll("txn-timeout", 1, IsolationLevel.READ_COMMITTED));
    }
}
