package io.runnel.broker.txn;

import io.runnel.broker.testing.NodeCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node configured {@code transaction.version=1} keeps Kafka's producers on transactions v1 (KIP-98): ApiVersions
 * finalizes level 1 and offers EndTxn and TxnOffsetCommit up to v4 only, so the producer sends AddPartitionsToTxn and
 * AddOffsetsToTxn itself and EndTxn keeps the epoch; commit, abort and a transactional offset commit still work and
 * read_committed sees the committed records only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionsV1ClusterTest {
    static final String TOPIC = "txn-v1";
    @TempDir
    static Path dir;
    private static NodeCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = NodeCluster.start(dir, 1, Map.of("transaction.version", "1", "group.initial.rebalance.delay.ms",
                "0"));
        admin = cluster.admin();
        admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
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

    @Test
    void apiVersionsFinalizesLevelOneAndCapsTheV2Apis() throws Exception {
        ApiVersionsResponseData d = TransactionsV2ClusterTest.apiVersions(cluster.brokerPort(1));
        assertEquals(1, d.finalizedFeatures().find("transaction.version").maxVersionLevel());
        assertEquals(4, d.apiKeys().find(ApiKeys.END_TXN.id).maxVersion());
        assertEquals(4, d.apiKeys().find(ApiKeys.TXN_OFFSET_COMMIT.id).maxVersion());
    }

    @Test
    void commitAbortAndOffsetsKeepTheEpoch() throws Exception {
        String id = "v1-txn";
        Set<String> expected = new TreeSet<>();
        try (KafkaProducer<String, String> p = TransactionsV2ClusterTest.producer(cluster, id)) {
            p.initTransactions();
            TransactionDescription first = TransactionsV2ClusterTest.describe(admin, id);
            for (int t = 0; t < 3; t++) {
                boolean commit = t != 1;
                p.beginTransaction();
                for (int i = 0; i < 4; i++) {
                    String v = "v1-" + t + "-" + i;
                    p.send(new ProducerRecord<>(TOPIC, i % 2, null, v));
                    if (commit) {
                        expected.add(v);
                    }
                }
                p.sendOffsetsToTransaction(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(10 + t)),
                        new ConsumerGroupMetadata("v1-group"));
                if (commit) {
                    p.commitTransaction();
                } else {
                    p.flush();
                    p.abortTransaction();
                }
                assertEquals(first.producerEpoch(), TransactionsV2ClusterTest.describe(admin, id).producerEpoch(),
                        "transactions v1: EndTxn keeps the epoch");
            }
        }
        assertEquals(new TreeSet<>(expected), new TreeSet<>(TxnTestReads.readAll(cluster, admin, TOPIC, 2,
                IsolationLevel.READ_COMMITTED)));
        assertEquals(12, TxnTestReads.readAll(cluster, admin, TOPIC, 2, IsolationLevel.READ_UNCOMMITTED).size());
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("v1-group")
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        assertEquals(12, offsets.get(new TopicPartition(TOPIC, 0)).offset(), "the last committed transaction's");
    }
}
