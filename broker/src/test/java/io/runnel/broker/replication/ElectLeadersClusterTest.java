package io.runnel.broker.replication;

import io.runnel.broker.replica.Partition;
import io.runnel.broker.testing.NodeCluster;
import io.runnel.broker.testing.QuorumBroker;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeReplicaLogDirsResult.ReplicaLogDirInfo;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.EligibleLeadersNotAvailableException;
import org.apache.kafka.common.errors.PreferredLeaderNotAvailableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ElectLeaders (KIP-183, KIP-460) and DescribeLogDirs (KIP-113) on three combined nodes in this JVM with the real
 * kafka-clients Admin: a preferred election moves leadership back to a preferred replica that was stopped and
 * restarted, partitions already led by their preferred replica answer ELECTION_NOT_NEEDED, unknown partitions
 * UNKNOWN_TOPIC_OR_PARTITION; an unclean election makes an out-of-sync replica the leader of a leaderless partition;
 * DescribeLogDirs lists every replica of every broker in its log dir with the size of its segments.
 */
@Timeout(240)
class ElectLeadersClusterTest {
    private static final String TOPIC = "elect";
    @TempDir
    Path dir;
    private NodeCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static org.apache.kafka.common.TopicPartition ktp(String topic, int p) {
        return new org.apache.kafka.common.TopicPartition(topic, p);
    }

    /** Partition {@code p} of {@code topic} in node {@code node}'s image, once that image has the topic. */
    private PartitionRegistration registration(int node, String topic, int p) {
        QuorumBroker.await("node " + node + " knows " + topic, () -> cluster.image(node).topicsByName()
                .containsKey(topic));
        MetadataImage image = cluster.image(node);
        return image.topicsByName().get(topic).partition(p);
    }

    @Test
    void preferredElectionMovesLeadershipBackAndDescribeLogDirsListsReplicas() throws Exception {
        cluster = NodeCluster.start(dir, 3, Map.of("auto.leader.rebalance.enable", "false"));
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3))).all().get();
            produce(TOPIC, 3, 100);
            Set<org.apache.kafka.common.TopicPartition> all = Set.of(ktp(TOPIC, 0), ktp(TOPIC, 1), ktp(TOPIC, 2));
            QuorumBroker.await("every replica at 100", () -> all.stream().allMatch(tp -> allReplicasAt(tp, 100)));

            Map<org.apache.kafka.common.TopicPartition, Optional<Throwable>> noop = admin.electLeaders(
                    ElectionType.PREFERRED, all).partitions().get();
            assertEquals(all, noop.keySet());
            noop.values().forEach(e -> assertInstanceOf(ElectionNotNeededException.class, e.orElseThrow()));
            Optional<Throwable> unknown = admin.electLeaders(ElectionType.PREFERRED, Set.of(ktp("nope", 0),
                    ktp(TOPIC, 7))).partitions().get().get(ktp("nope", 0));
            assertInstanceOf(UnknownTopicOrPartitionException.class, unknown.orElseThrow());

            int preferred = registration(1, TOPIC, 0).replicas().get(0);
            int other = preferred % 3 + 1;
            cluster.stopNode(preferred);
            QuorumBroker.await("partition 0 led by another broker", () -> {
                PartitionRegistration p = registration(other, TOPIC, 0);
                return p.leader() != preferred && p.leader() >= 0;
            });
            Optional<Throwable> unavailable = admin.electLeaders(ElectionType.PREFERRED, Set.of(ktp(TOPIC, 0)))
                    .partitions().get().get(ktp(TOPIC, 0));
            assertInstanceOf(PreferredLeaderNotAvailableException.class, unavailable.orElseThrow());

            cluster.startNode(preferred);
            cluster.awaitUnfenced(preferred);
            QuorumBroker.await("broker " + preferred + " back in the ISR", () -> registration(other, TOPIC, 0)
                    .isr().contains(preferred));
            PartitionRegistration before = registration(other, TOPIC, 0);
            assertNotEquals(preferred, before.leader(), "auto.leader.rebalance.enable=false: nothing moved it back");

            Map<org.apache.kafka.common.TopicPartition, Optional<Throwable>> moved = admin.electLeaders(
                    ElectionType.PREFERRED, Set.of(ktp(TOPIC, 0))).partitions().get();
            assertEquals(Optional.empty(), moved.get(ktp(TOPIC, 0)));
            QuorumBroker.await("every node's image shows the new leader", () -> java.util.stream.IntStream
                    .rangeClosed(1, 3).allMatch(id -> registration(id, TOPIC, 0).leader() == preferred));
            assertEquals(before.leaderEpoch() + 1, registration(preferred, TOPIC, 0).leaderEpoch());
            QuorumBroker.await("Admin.describeTopics shows the preferred leader", () -> {
                try {
                    return admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().get(0)
                            .leader().id() == preferred;
                } catch (Exception e) {
                    return false;
                }
            });
            QuorumBroker.await("broker " + preferred + " leads partition 0", () -> {
                Partition p = Replicas.replica(cluster, preferred, new TopicPartition(TOPIC, 0));
                return p != null && p.isLeader();
            });
            produce(TOPIC, 1, 10); // the new leader takes acks=all writes
            assertTrue(admin.electLeaders(ElectionType.PREFERRED, null).partitions().get().isEmpty(),
                    "all partitions: only those that needed an election are answered");

            describeLogDirs(admin);
        }
    }

    private void describeLogDirs(Admin admin) throws Exception {
        QuorumBroker.await("every replica at 110 / 100", () -> allReplicasAt(ktp(TOPIC, 0), 110)
                && allReplicasAt(ktp(TOPIC, 1), 100));
        Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(List.of(1, 2, 3))
                .allDescriptions().get();
        assertEquals(Set.of(1, 2, 3), dirs.keySet());
        for (int id = 1; id <= 3; id++) {
            String logDir = dir.resolve("node-" + id).toAbsolutePath().toString();
            LogDirDescription d = dirs.get(id).get(logDir);
            assertTrue(d != null, "broker " + id + " answers its log.dirs: " + dirs.get(id).keySet());
            assertEquals(null, d.error());
            assertTrue(d.totalBytes().isPresent() && d.totalBytes().getAsLong() > 0, "v4 total bytes");
            assertTrue(d.usableBytes().isPresent() && d.usableBytes().getAsLong() > 0, "v4 usable bytes");
            for (int p = 0; p < 3; p++) {
                ReplicaInfo info = d.replicaInfos().get(ktp(TOPIC, p));
                Partition local = Replicas.replica(cluster, id, new TopicPartition(TOPIC, p));
                assertEquals(local.log().sizeInBytes(), info.size(), "broker " + id + " partition " + p);
                assertTrue(info.size() > 0);
                assertEquals(0, info.offsetLag());
                assertFalse(info.isFuture());
            }
        }
        Map<TopicPartitionReplica, ReplicaLogDirInfo> replicas = admin.describeReplicaLogDirs(List.of(
                new TopicPartitionReplica(TOPIC, 1, 2), new TopicPartitionReplica("nope", 0, 2))).all().get();
        assertEquals(dir.resolve("node-2").toAbsolutePath().toString(), replicas.get(new TopicPartitionReplica(
                TOPIC, 1, 2)).getCurrentReplicaLogDir());
        assertEquals(0, replicas.get(new TopicPartitionReplica(TOPIC, 1, 2)).getCurrentReplicaOffsetLag());
        assertEquals(null, replicas.get(new TopicPartitionReplica("nope", 0, 2)).getCurrentReplicaLogDir());
    }

    /**
     * Topic {@code u} with replicas [a, b]: b stops (the ISR shrinks to [a]), a stops (leaderless, ISR [a]), b
     * comes back out of sync: only an unclean election gives the partition a leader again, b, with ISR [b].
     */
    @Test
    void uncleanElectionMakesAnOutOfSyncReplicaTheLeader() throws Exception {
        cluster = NodeCluster.start(dir, 3, Map.of("auto.leader.rebalance.enable", "false"));
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("u", 1, (short) 2))).all().get();
            produce("u", 1, 20);
            PartitionRegistration p = registration(1, "u", 0);
            int a = p.replicas().get(0);
            int b = p.replicas().get(1);
            int c = 6 - a - b;
            QuorumBroker.await("both replicas at 20", () -> allReplicasAt(ktp("u", 0), 20));
            Optional<Throwable> hasLeader = admin.electLeaders(ElectionType.UNCLEAN, Set.of(ktp("u", 0)))
                    .partitions().get().get(ktp("u", 0));
            assertInstanceOf(ElectionNotNeededException.class, hasLeader.orElseThrow());

            cluster.stopNode(b);
            QuorumBroker.await("ISR [a]", () -> registration(c, "u", 0).isr().equals(List.of(a)));
            cluster.stopNode(a);
            cluster.startNode(b);
            cluster.awaitUnfenced(b);
            QuorumBroker.await("u-0 leaderless", () -> registration(c, "u", 0).leader() == -1);
            assertEquals(List.of(a), registration(c, "u", 0).isr());

            Optional<Throwable> preferred = admin.electLeaders(ElectionType.PREFERRED, Set.of(ktp("u", 0)))
                    .partitions().get().get(ktp("u", 0));
            assertInstanceOf(PreferredLeaderNotAvailableException.class, preferred.orElseThrow());
            Map<org.apache.kafka.common.TopicPartition, Optional<Throwable>> unclean = admin.electLeaders(
                    ElectionType.UNCLEAN, null).partitions().get();
            assertEquals(Map.of(ktp("u", 0), Optional.empty()), unclean);
            QuorumBroker.await("node " + c + " shows b leading", () -> registration(c, "u", 0).leader() == b);
            PartitionRegistration after = registration(c, "u", 0);
            assertEquals(b, after.leader());
            assertEquals(List.of(b), after.isr());
            assertEquals(p.leaderEpoch() + 2, after.leaderEpoch(), "a left, then b was elected");
            produce("u", 1, 5);
        }
    }

    @Test
    void uncleanElectionWithNoAliveReplicaIsEligibleLeadersNotAvailable() throws Exception {
        cluster = NodeCluster.start(dir, 3, Map.of("auto.leader.rebalance.enable", "false"));
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("single", 1, (short) 1))).all().get();
            int only = registration(1, "single", 0).replicas().get(0);
            int other = only % 3 + 1;
            cluster.stopNode(only);
            QuorumBroker.await("single-0 leaderless", () -> registration(other, "single", 0).leader() == -1);
            Optional<Throwable> none = admin.electLeaders(ElectionType.UNCLEAN, Set.of(ktp("single", 0)))
                    .partitions().get().get(ktp("single", 0));
            assertInstanceOf(EligibleLeadersNotAvailableException.class, none.orElseThrow());
            assertEquals(-1, registration(other, "single", 0).leader());
        }
    }

    private boolean allReplicasAt(org.apache.kafka.common.TopicPartition ktp, long offset) {
        PartitionRegistration r = registration(firstRunning(), ktp.topic(), ktp.partition());
        for (int id : r.replicas()) {
            Partition p = Replicas.replica(cluster, id, new TopicPartition(ktp.topic(), ktp.partition()));
            if (p == null || p.highWatermark() != offset || p.logEndOffset() != offset) {
                return false;
            }
        }
        return true;
    }

    private int firstRunning() {
        for (int id = 1; id <= cluster.size(); id++) {
            if (cluster.node(id) != null) {
                return id;
            }
        }
        throw new AssertionError("no node running");
    }

    private void produce(String topic, int partitions, int perPartition) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < perPartition; i++) {
                for (int p = 0; p < partitions; p++) {
                    producer.send(new ProducerRecord<>(topic, p, "k" + i, "v" + i)).get();
                }
            }
        }
    }
}
