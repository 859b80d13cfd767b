package io.runnel.broker.replication;

import io.runnel.broker.replica.Partition;
import io.runnel.broker.testing.NodeCluster;
import io.runnel.broker.testing.QuorumBroker;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leader-follower replication on three combined nodes in this JVM with real kafka-clients (DESIGN.md section 6):
 * acks=all waits for the followers, replicas converge to identical logs, a stopped follower leaves the ISR and
 * rejoins it once caught up, and leadership moves without losing acknowledged records.
 */
@Timeout(180)
class ReplicationTest {
    private static final String TOPIC = "replicated";
    @TempDir
    Path dir;
    private NodeCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = NodeCluster.start(dir, 3, Map.of("replica.lag.time.max.ms", "3000",
                "auto.leader.rebalance.enable", "true", "leader.imbalance.check.interval.seconds", "1"));
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
        }
        for (int p = 0; p < 3; p++) {
            awaitIsr(p, 3);
        }
        // a new topic starts with a full ISR: wait until every broker serves it, so any broker answers lookups
        QuorumBroker.await("every broker serving " + TOPIC, () -> java.util.stream.IntStream.rangeClosed(1, 3)
                .allMatch(id -> cluster.node(id).servedImage().topicsByName().containsKey(TOPIC)));
    }

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void ackedRecordsReachEveryReplicaAndTheLogsAreIdentical() throws Exception {
        Map<Integer, List<Long>> offsets = produce(0, 3000);
        assertEquals(3000, offsets.values().stream().mapToInt(List::size).sum());
        assertEquals(3000, consumeAll().size());
        for (int p = 0; p < 3; p++) {
            TopicPartition tp = new TopicPartition(TOPIC, p);
            long end = offsets.get(p).get(offsets.get(p).size() - 1) + 1;
            QuorumBroker.await("every replica of " + tp + " at offset " + end, () -> {
                for (int id = 1; id <= 3; id++) {
                    Partition r = Replicas.replica(cluster, id, tp);
                    if (r == null || r.logEndOffset() != end || r.highWatermark() != end) {
                        return false;
                    }
                }
                return true;
            });
            assertTrue(Replicas.identicalBelowHighWatermark(cluster, tp), tp + " differs between replicas");
        }
    }

    @Test
    void aStoppedFollowerLeavesTheIsrAndRejoinsOnceCaughtUp() throws Exception {
        produce(0, 500);
        int leader0 = awaitLeader(0);
        int follower = leader0 % 3 + 1;
        cluster.stopNode(follower);
        awaitIsrWithout(0, follower);
        Map<Integer, List<Long>> acked = produce(500, 1500);
        assertEquals(1500, acked.values().stream().mapToInt(List::size).sum());
        cluster.startNode(follower);
        for (int p = 0; p < 3; p++) {
            awaitIsr(p, 3);
            TopicPartition tp = new TopicPartition(TOPIC, p);
            QuorumBroker.await("identical replicas of " + tp, () -> Replicas.identicalBelowHighWatermark(cluster, tp)
                    && Replicas.replica(cluster, follower, tp).highWatermark()
                    == Replicas.replica(cluster, awaitLeader(tp.partition()), tp).highWatermark());
        }
        assertEquals(2000, consumeAll().size());
    }

    @Test
    void leaderShutdownMovesLeadershipAwayAndBackKeepingEveryAcknowledgedRecord() throws Exception {
        Map<Integer, List<Long>> before = produce(0, 1000);
        int leader = awaitLeader(0);
        cluster.stopNode(leader);
        QuorumBroker.await("a new leader for partition 0", () -> {
            int l = leaderOf(0);
            return l > 0 && l != leader;
        });
        Map<Integer, List<Long>> after = produce(1000, 1000);
        cluster.startNode(leader);
        int[] first = {-1};
        QuorumBroker.await("partition 0's replica list", () -> {
            TopicPartitionInfo info = describe(0);
            first[0] = info == null ? -1 : info.replicas().get(0).id();
            return first[0] > 0;
        });
        int preferred = first[0];
        QuorumBroker.await("the preferred replica " + preferred + " leading partition 0 again",
                () -> leaderOf(0) == preferred);
        List<ConsumerRecord<String, String>> all = consumeAll();
        assertEquals(2000, all.size());
        Map<Integer, List<Long>> seen = new HashMap<>();
        for (ConsumerRecord<String, String> r : all) {
            seen.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r.offset());
        }
        for (int p = 0; p < 3; p++) {
            List<Long> expected = new ArrayList<>(before.getOrDefault(p, List.of()));
            expected.addAll(after.getOrDefault(p, List.of()));
            assertEquals(expected, seen.get(p), "offsets of partition " + p);
        }
    }

    private Map<Integer, List<Long>> produce(int from, int count) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        Map<Integer, List<Long>> offsets = new HashMap<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                sent.add(producer.send(new ProducerRecord<>(TOPIC, "k" + i, "v" + i)));
            }
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata m = f.get();
                offsets.computeIfAbsent(m.partition(), k -> new ArrayList<>()).add(m.offset());
            }
        }
        offsets.values().forEach(l -> l.sort(Long::compare));
        return offsets;
    }

    private List<ConsumerRecord<String, String>> consumeAll() {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                tps.add(new org.apache.kafka.common.TopicPartition(TOPIC, p));
            }
            consumer.assign(tps);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private TopicPartitionInfo describe(int partition) {
        try (Admin admin = cluster.admin()) {
            TopicDescription d = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
            return d.partitions().get(partition);
        } catch (Exception e) {
            return null;
        }
    }

    private int leaderOf(int partition) {
        TopicPartitionInfo info = describe(partition);
        return info == null || info.leader() == null ? -1 : info.leader().id();
    }

    /** The partition's leader, once a broker names one (a lookup can fail while a broker restarts). */
    private int awaitLeader(int partition) {
        int[] leader = {-1};
        QuorumBroker.await("a leader of partition " + partition, () -> (leader[0] = leaderOf(partition)) > 0);
        return leader[0];
    }

    private void awaitIsr(int partition, int size) {
        QuorumBroker.await("ISR of partition " + partition + " with " + size + " members", () -> {
            TopicPartitionInfo info = describe(partition);
            return info != null && info.isr().size() == size;
        });
    }

    private void awaitIsrWithout(int partition, int broker) {
        QuorumBroker.await("broker " + broker + " out of the ISR of partition " + partition, () -> {
            TopicPartitionInfo info = describe(partition);
            return info != null && info.isr().stream().noneMatch(n -> n.id() == broker);
        });
    }
}
