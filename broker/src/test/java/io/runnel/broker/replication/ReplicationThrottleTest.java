package io.runnel.broker.replication;

import io.runnel.broker.replica.Partition;
import io.runnel.broker.testing.NodeCluster;
import io.runnel.broker.testing.QuorumBroker;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replication throttles (KIP-73) on three combined nodes in this JVM, set with a real Admin client as
 * {@code kafka-reassign-partitions.sh --throttle} sets them: a follower that was down and is outside the ISR gets
 * only what the throttle lets through, and catches up once the throttle is removed. Throttles never hold back an
 * in-sync replica, so acks=all producers are not slowed.
 */
@Timeout(180)
class ReplicationThrottleTest {
    private static final String TOPIC = "throttled";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final int RECORDS = 4_000;
    @TempDir
    Path dir;
    private NodeCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aThrottledFollowerOutsideTheIsrWaitsAndCatchesUpOnceTheThrottleIsGone() throws Exception {
        cluster = NodeCluster.start(dir, 3, Map.of());
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3)
                    .configs(Map.of("min.insync.replicas", "1")))).all().get();
            QuorumBroker.await("a leader", () -> leader() > 0);
            int follower = leader() == 3 ? 2 : 3;
            cluster.stopNode(follower);
            QuorumBroker.await("the ISR without broker " + follower, () -> !isr().contains(follower));
            produce(RECORDS);

            ConfigResource cluster = new ConfigResource(ConfigResource.Type.BROKER, "");
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            admin.incrementalAlterConfigs(Map.of(
                    cluster, List.of(set("leader.replication.throttled.rate", "1"),
                            set("follower.replication.throttled.rate", "1")),
                    topic, List.of(set("leader.replication.throttled.replicas", "*"),
                            set("follower.replication.throttled.replicas", "0:" + follower)))).all().get();
            ConfigResource leaderBroker = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(leader()));
            Config described = admin.describeConfigs(List.of(leaderBroker)).all().get().get(leaderBroker);
            ConfigEntry rate = described.get("leader.replication.throttled.rate");
            assertEquals("1", rate.value());
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, rate.source());
            assertFalse(rate.isReadOnly());

            this.cluster.startNode(follower);
            QuorumBroker.await("broker " + follower + " hosting " + TP,
                    () -> Replicas.replica(this.cluster, follower, TP) != null);
            Thread.sleep(3_000);
            long behind = Replicas.replica(this.cluster, follower, TP).logEndOffset();
            assertTrue(behind < RECORDS / 2, "at 1 byte/s the follower got " + behind + " of " + RECORDS
                    + " records: no more than a fetch or two");
            assertFalse(isr().contains(follower));

            admin.incrementalAlterConfigs(Map.of(cluster, List.of(
                    delete("leader.replication.throttled.rate"), delete("follower.replication.throttled.rate"))))
                    .all().get();
            QuorumBroker.await("broker " + follower + " caught up and in the ISR", () -> {
                Partition p = Replicas.replica(this.cluster, follower, TP);
                return p.logEndOffset() == RECORDS && isr().contains(follower);
            });
        }
    }

    @Test
    void onlyTheThrottleRatesAreDynamicAndReplicaListsAreChecked() throws Exception {
        cluster = NodeCluster.start(dir, 1, Map.of());
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            ExecutionException fixed = assertThrows(ExecutionException.class, () -> admin.incrementalAlterConfigs(
                    Map.of(new ConfigResource(ConfigResource.Type.BROKER, "1"),
                            List.of(set("log.retention.ms", "1000")))).all().get());
            assertInstanceOf(InvalidRequestException.class, fixed.getCause());
            assertTrue(fixed.getCause().getMessage().contains("Cannot update these configs dynamically: "
                    + "[log.retention.ms]"), fixed.getCause().getMessage());
            ExecutionException badList = assertThrows(ExecutionException.class, () -> admin.incrementalAlterConfigs(
                    Map.of(new ConfigResource(ConfigResource.Type.TOPIC, TOPIC),
                            List.of(set("leader.replication.throttled.replicas", "0-1")))).all().get());
            assertInstanceOf(InvalidConfigurationException.class, badList.getCause());
            ExecutionException negative = assertThrows(ExecutionException.class, () -> admin.incrementalAlterConfigs(
                    Map.of(new ConfigResource(ConfigResource.Type.BROKER, "1"),
                            List.of(set("follower.replication.throttled.rate", "-5")))).all().get());
            assertInstanceOf(InvalidConfigurationException.class, negative.getCause());
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.BROKER, "1"),
                    List.of(set("follower.replication.throttled.rate", "1048576")))).all().get();
            assertEquals(1_048_576, cluster.node(1).replicaManager().replicationQuotas().follower()
                    .bytesPerSecond());
        }
    }

    private static AlterConfigOp set(String key, String value) {
        return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
    }

    private static AlterConfigOp delete(String key) {
        return new AlterConfigOp(new ConfigEntry(key, null), AlterConfigOp.OpType.DELETE);
    }

    private int leader() {
        for (int id = 1; id <= cluster.size(); id++) {
            Partition p = Replicas.replica(cluster, id, TP);
            if (p != null && p.isLeader()) {
                return id;
            }
        }
        return -1;
    }

    private Collection<Integer> isr() {
        int leader = leader();
        return leader < 0 ? List.of() : Replicas.replica(cluster, leader, TP).state().isr();
    }

    /** {@code count} acks=1 records of 1 KiB each. */
    private void produce(int count) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            byte[] value = new byte[1024];
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, null, value));
            }
            producer.flush();
        }
    }
}
