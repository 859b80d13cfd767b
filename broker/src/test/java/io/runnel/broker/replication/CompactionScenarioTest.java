package io.runnel.broker.replication;

import io.runnel.broker.replica.Partition;
import io.runnel.broker.testing.NodeCluster;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The issue's scenario with real kafka-clients: a topic with {@code cleanup.policy=compact,
 * min.cleanable.dirty.ratio=0.01, segment.ms=1000}, 9,000 records over 100 keys, read back from the beginning. The
 * log cleaner (backoff 500 ms here; Kafka's default 15 s) brings a read from the beginning down to at most one
 * record per key plus the active segment's records; on 3 nodes with RF 3 every replica cleans itself and all agree
 * per key. Replica logs are decoded with kafka-clients' own MemoryRecords, independently of Runnel's codec.
 */
@Timeout(240)
class CompactionScenarioTest {
    private static final int KEYS = 100;
    private static final int RECORDS = 9_000;
    private static final Map<String, String> CLUSTER = Map.of("log.cleaner.backoff.ms", "500",
            "replica.lag.time.max.ms", "10000");

    @TempDir
    Path dir;

    @Test
    void oneNode() throws Exception {
        try (NodeCluster cluster = NodeCluster.start(dir, 1, CLUSTER)) {
            scenario(cluster, "compacted-1", 1, "lz4");
        }
    }

    @Test
    void threeNodesWithReplicationFactorThree() throws Exception {
        try (NodeCluster cluster = NodeCluster.start(dir, 3, CLUSTER)) {
            scenario(cluster, "compacted-3", 3, "zstd");
        }
    }

    /**
     * A replica added to a compacted partition copies the leader's log with its gaps (whole batches the cleaner
     * removed), as Kafka's followers do: before, the follower refused the first batch after a gap and never caught up.
     */
    @Test
    void aNewReplicaCopiesACompactedLogWithItsGaps() throws Exception {
        try (NodeCluster cluster = NodeCluster.start(dir, 2, CLUSTER); Admin admin = cluster.admin()) {
            String topic = "compacted-moved";
            admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(1))).configs(Map.of(
                    "cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.01", "segment.ms", "1000"))))
                    .all().get();
            Map<String, String> last = produce(cluster, topic, "none", 3);
            TopicPartition tp = new TopicPartition(topic, 0);
            Partition leader = replica(cluster, 1, tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records(leader).size() >= leader.logEndOffset() - leader.logStartOffset()) {
                assertTrue(System.nanoTime() < deadline, "the leader's cleaner left no gap within 60 s");
                Thread.sleep(250);
            }
            admin.alterPartitionReassignments(Map.of(new org.apache.kafka.common.TopicPartition(topic, 0),
                    java.util.Optional.of(new org.apache.kafka.clients.admin.NewPartitionReassignment(
                            List.of(1, 2))))).all().get();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                Partition follower = replica(cluster, 2, tp);
                if (follower != null && follower.logEndOffset() == leader.logEndOffset()) {
                    Map<String, String> latest = new HashMap<>();
                    for (Record r : records(follower)) {
                        latest.put(text(r.key()), text(r.value()));
                    }
                    assertEquals(last, latest, "the new replica holds the last value of every key");
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "the new replica did not catch up within 60 s: "
                        + (follower == null ? "not created" : "log end " + follower.logEndOffset() + " of "
                        + leader.logEndOffset()));
                Thread.sleep(250);
            }
        }
    }

    private void scenario(NodeCluster cluster, String topic, int rf, String compression) throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) rf).configs(Map.of("cleanup.policy", "compact",
                    "min.cleanable.dirty.ratio", "0.01", "segment.ms", "1000")))).all().get();
        }
        Map<String, String> last = produce(cluster, topic, compression, 9);
        TopicPartition tp = new TopicPartition(topic, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String why = "";
        while (System.nanoTime() < deadline) {
            why = check(cluster, tp, last);
            if (why == null) {
                break;
            }
            Thread.sleep(250);
        }
        assertEquals(null, why, "not compacted within 90 s");
        Map<String, String> consumed = new HashMap<>();
        int count = consumeAll(cluster, topic, consumed);
        assertEquals(last, consumed, "a consumer from the beginning sees the last value of every key");
        long active = 0;
        for (int id = 1; id <= cluster.size(); id++) {
            active = Math.max(active, recordsFrom(replica(cluster, id, tp), activeBase(replica(cluster, id, tp))));
        }
        assertTrue(count <= KEYS + active, count + " records read, " + active + " in the active segment");
        ObjectName jmx = new ObjectName("io.runnel.log:type=LogCleaner,broker=1,name=" + ObjectName.quote(topic
                + "-0"));
        long removed = (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(jmx, "RecordsRemoved");
        assertTrue(removed > 0, "JMX RecordsRemoved " + removed);
    }

    /** Null when every replica holds at most one record per key below its active segment and the right values. */
    private static String check(NodeCluster cluster, TopicPartition tp, Map<String, String> last) {
        for (int id = 1; id <= cluster.size(); id++) {
            Partition p = replica(cluster, id, tp);
            if (p == null || p.logEndOffset() < RECORDS) {
                return "replica " + id + " has not caught up";
            }
            long base = activeBase(p);
            Map<String, String> latest = new HashMap<>();
            int below = 0;
            for (Record r : records(p)) {
                String k = text(r.key());
                latest.put(k, text(r.value()));
                if (r.offset() < base) {
                    below++;
                }
            }
            if (below > KEYS) {
                return "replica " + id + " holds " + below + " records below its active segment";
            }
            if (!latest.equals(last)) {
                return "replica " + id + " disagrees on the latest values";
            }
        }
        return null;
    }

    private static Partition replica(NodeCluster cluster, int id, TopicPartition tp) {
        return Replicas.replica(cluster, id, tp);
    }

    private static long activeBase(Partition p) {
        List<Long> bases = p.log().segmentBaseOffsets();
        return bases.get(bases.size() - 1);
    }

    private static long recordsFrom(Partition p, long from) {
        return records(p).stream().filter(r -> r.offset() >= from).count();
    }

    private static List<Record> records(Partition p) {
        byte[] bytes = Replicas.bytesBelow(p, p.logEndOffset());
        List<Record> out = new java.util.ArrayList<>();
        for (RecordBatch b : MemoryRecords.readableRecords(ByteBuffer.wrap(bytes)).batches()) {
            b.ensureValid();
            for (Record r : b) {
                out.add(r);
            }
        }
        return out;
    }

    private static String text(ByteBuffer b) {
        return b == null ? null : StandardCharsets.UTF_8.decode(b).toString();
    }

    /** Produces {@code waves} waves of RECORDS / 9 records over KEYS keys, a new segment for each (segment.ms). */
    private static Map<String, String> produce(NodeCluster cluster, String topic, String compression, int waves)
            throws Exception {
        Map<String, Object> cfg = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.COMPRESSION_TYPE_CONFIG, compression,
                ProducerConfig.LINGER_MS_CONFIG, "5");
        Map<String, String> last = new HashMap<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(cfg, new StringSerializer(),
                new StringSerializer())) {
            for (int wave = 0; wave < waves; wave++) {
                for (int i = 0; i < RECORDS / 9; i++) {
                    int n = wave * (RECORDS / 9) + i;
                    String key = "key-" + (n % KEYS);
                    String value = key + "@" + n;
                    producer.send(new ProducerRecord<>(topic, key, value));
                    last.put(key, value);
                }
                producer.flush();
                Thread.sleep(1100); // segment.ms=1000: the next wave rolls a new segment
            }
        }
        return last;
    }

    private static int consumeAll(NodeCluster cluster, String topic, Map<String, String> into) {
        Map<String, Object> cfg = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        int count = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cfg, new StringDeserializer(),
                new StringDeserializer())) {
            org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    into.put(r.key(), r.value());
                    count++;
                }
            }
        }
        return count;
    }
}
