package io.runnel.broker.txn;

import io.runnel.broker.testing.NodeCluster;
import io.runnel.broker.testing.RawClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transactions v2 (KIP-890 part 2) with Kafka's own producer on three in-JVM nodes at the default
 * {@code transaction.version} 2: ApiVersions finalizes the feature, the producer then sends no AddPartitionsToTxn
 * (the leaders add the partitions on Produce v12), every EndTxn v5 bumps the producer epoch (DescribeTransactions
 * and, once the markers are written, DescribeProducers show it), and a retried EndTxn with the epoch before the bump
 * is answered with the new epoch while an older one is PRODUCER_FENCED (90); groups are added to the transaction by
 * their coordinators on TxnOffsetCommit v5.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionsV2ClusterTest {
    static final String TOPIC = "txn-v2";
    @TempDir
    static Path dir;
    private static NodeCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = NodeCluster.start(dir, 3, Map.of("group.initial.rebalance.delay.ms", "0"));
        admin = cluster.admin();
        admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
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

    static KafkaProducer<String, String> producer(NodeCluster cluster, String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    static TransactionDescription describe(Admin admin, String transactionalId) throws Exception {
        return admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
                .get(30, TimeUnit.SECONDS);
    }

    static ApiVersionsResponseData apiVersions(int port) throws Exception {
        try (RawClient raw = new RawClient(port)) {
            raw.send(new ApiVersionsRequest.Builder().build((short) 3), 1);
            return ((ApiVersionsResponse) raw.read(ApiKeys.API_VERSIONS, (short) 3, 1)).data();
        }
    }

    @Test
    void apiVersionsFinalizesTransactionVersionTwo() throws Exception {
        ApiVersionsResponseData d = apiVersions(cluster.brokerPort(1));
        assertNotNull(d.finalizedFeatures().find("transaction.version"));
        assertEquals(2, d.finalizedFeatures().find("transaction.version").maxVersionLevel());
        assertEquals(2, d.supportedFeatures().find("transaction.version").maxVersion());
        assertTrue(d.finalizedFeaturesEpoch() >= 0, "clients ignore features of epoch -1");
        assertEquals(5, d.apiKeys().find(ApiKeys.END_TXN.id).maxVersion());
        assertEquals(5, d.apiKeys().find(ApiKeys.TXN_OFFSET_COMMIT.id).maxVersion());
    }

    @Test
    void everyEndTxnBumpsTheEpochAndReadCommittedSeesTheCommits() throws Exception {
        String id = "v2-bumps";
        Set<String> expected = new TreeSet<>();
        try (KafkaProducer<String, String> p = producer(cluster, id)) {
            p.initTransactions();
            TransactionDescription first = describe(admin, id);
            short e0 = (short) first.producerEpoch();
            for (int t = 0; t < 3; t++) {
                boolean commit = t != 1;
                p.beginTransaction();
                for (int i = 0; i < 6; i++) {
                    String v = "t" + t + "-" + i;
                    p.send(new ProducerRecord<>(TOPIC, i % 3, null, v));
                    if (commit) {
                        expected.add(v);
                    }
                }
                if (commit) {
                    p.commitTransaction();
                } else {
                    p.flush();
                    p.abortTransaction();
                }
                TransactionDescription d = describe(admin, id);
                assertEquals(first.producerId(), d.producerId());
                assertEquals(e0 + t + 1, d.producerEpoch(), "EndTxn v5 bumps the epoch once per transaction");
            }
            List<TopicPartition> tps = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1),
                    new TopicPartition(TOPIC, 2));
            TxnTestReads.awaitMarkers(admin, tps);
            ProducerState state = admin.describeProducers(List.of(tps.get(0))).partitionResult(tps.get(0))
                    .get(30, TimeUnit.SECONDS).activeProducers().stream()
                    .filter(s -> s.producerId() == first.producerId()).findFirst().orElseThrow();
            assertEquals(e0 + 3, state.producerEpoch(), "the last marker carries the bumped epoch");
        }
        Set<String> committed = new TreeSet<>(TxnTestReads.readAll(cluster, admin, TOPIC, 3,
                IsolationLevel.READ_COMMITTED));
        Set<String> mine = new TreeSet<>(committed);
        mine.removeIf(v -> !v.startsWith("t"));
        assertEquals(expected, mine);
    }

    @Test
    void retriedEndTxnGetsTheNewEpochAndAnOlderEpochIsFenced() throws Exception {
        String id = "v2-retry";
        try (KafkaProducer<String, String> p = producer(cluster, id)) {
            p.initTransactions();
            short e0 = (short) describe(admin, id).producerEpoch();
            for (int t = 0; t < 2; t++) {
                p.beginTransaction();
                p.send(new ProducerRecord<>(TOPIC, 0, null, "retry-" + t));
                p.commitTransaction();
            }
            TransactionDescription d = awaitState(id, TransactionState.COMPLETE_COMMIT);
            assertEquals(e0 + 2, d.producerEpoch());
            try (RawClient raw = new RawClient(cluster.brokerPort(d.coordinatorId()))) {
                EndTxnResponseData retried = endTxn(raw, 1, id, d.producerId(), (short) (e0 + 1), true);
                assertEquals(Errors.NONE.code(), retried.errorCode(), "a retry of the last commit");
                assertEquals(d.producerId(), retried.producerId());
                assertEquals(e0 + 2, retried.producerEpoch(), "answered with the epoch the commit gave");
                assertEquals(Errors.INVALID_TXN_STATE.code(),
                        endTxn(raw, 2, id, d.producerId(), (short) (e0 + 1), false).errorCode(),
                        "the other outcome of a finished transaction");
                EndTxnResponseData old = endTxn(raw, 3, id, d.producerId(), e0, true);
                assertEquals(Errors.PRODUCER_FENCED.code(), old.errorCode(), "an epoch older than a retry");
                assertEquals(-1, old.producerEpoch());
            }
            assertEquals(e0 + 2, describe(admin, id).producerEpoch(), "the refused requests changed nothing");
            p.beginTransaction();
            p.send(new ProducerRecord<>(TOPIC, 0, null, "retry-after"));
            p.commitTransaction();
            assertEquals(e0 + 3, describe(admin, id).producerEpoch());
        }
    }

    /**
     * TxnOffsetCommit v5: the producer sends no AddOffsetsToTxn, the group coordinator adds the group itself (over
     * AddOffsetsToTxn when the transaction's coordinator is another broker); the offsets commit with the
     * transaction and an aborted transaction's are dropped.
     */
    @Test
    void groupsAddedByTheirCoordinatorsCommitAndAbortWithTheTransaction() throws Exception {
        String id = "v2-offsets";
        List<String> groups = List.of("v2-g0", "v2-g1", "v2-g2", "v2-g3", "v2-g4", "v2-g5", "v2-g6", "v2-g7");
        TopicPartition in = new TopicPartition(TOPIC, 1);
        int coordinator;
        try (KafkaProducer<String, String> p = producer(cluster, id)) {
            p.initTransactions();
            for (int t = 0; t < 2; t++) {
                p.beginTransaction();
                p.send(new ProducerRecord<>(TOPIC, 2, null, "offsets-" + t));
                for (String g : groups) {
                    p.sendOffsetsToTransaction(Map.of(in, new OffsetAndMetadata(t == 0 ? 7 : 99)),
                            new ConsumerGroupMetadata(g));
                }
                if (t == 0) {
                    p.commitTransaction();
                } else {
                    p.abortTransaction();
                }
            }
            coordinator = describe(admin, id).coordinatorId();
        }
        Set<Integer> groupCoordinators = new TreeSet<>();
        for (String g : groups) {
            assertEquals(7, admin.listConsumerGroupOffsets(g).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(in).offset(), g + ": the committed transaction's offset only");
            groupCoordinators.add(admin.describeConsumerGroups(List.of(g)).describedGroups().get(g)
                    .get(30, TimeUnit.SECONDS).coordinator().id());
        }
        groupCoordinators.remove(coordinator);
        assertTrue(!groupCoordinators.isEmpty(), "some group is coordinated elsewhere than transaction " + id);
    }

    /**
     * Waits (at most 30 s) for {@code state}: a retried EndTxn gets CONCURRENT_TRANSACTIONS until the markers are
     * written and the transaction is complete.
     */
    private static TransactionDescription awaitState(String id, TransactionState state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            TransactionDescription d = describe(admin, id);
            if (d.state() == state) {
                return d;
            }
            assertTrue(System.nanoTime() < deadline, id + " stayed " + d.state());
            Thread.sleep(20);
        }
    }

    private static EndTxnResponseData endTxn(RawClient raw, int correlation, String id, long pid, short epoch,
                                             boolean commit) throws Exception {
        raw.send(new EndTxnRequest.Builder(new EndTxnRequestData().setTransactionalId(id).setProducerId(pid)
                .setProducerEpoch(epoch).setCommitted(commit), true).build((short) 5), correlation);
        return ((EndTxnResponse) raw.read(ApiKeys.END_TXN, (short) 5, correlation)).data();
    }
}
