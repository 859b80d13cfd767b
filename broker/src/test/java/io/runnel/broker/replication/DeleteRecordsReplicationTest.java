package io.runnel.broker.replication;

import io.runnel.broker.replica.Partition;
import io.runnel.broker.testing.NodeCluster;
import io.runnel.broker.testing.QuorumBroker;
import io.runnel.broker.testing.RawClient;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DeleteRecords (KIP-107) on three combined nodes in this JVM with real kafka-clients: Admin.deleteRecords answers
 * the low watermark once every in-sync replica's log starts there, whole segments below it are gone on every
 * replica, consumers start there, a follower that was down catches up to the new log start, and the errors are
 * Kafka's.
 */
@Timeout(180)
class DeleteRecordsReplicationTest {
    private static final String TOPIC = "trimmed";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final org.apache.kafka.common.TopicPartition KTP = new org.apache.kafka.common.TopicPartition(
            TOPIC, 0);
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
    void deleteRecordsMovesTheLogStartOfEveryReplica() throws Exception {
        cluster = NodeCluster.start(dir, 3, Map.of());
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3)
                    .configs(Map.of("segment.ms", "100")))).all().get();
            produce(1000);
            awaitReplicas("every replica at offset 1000", p -> p.highWatermark() == 1000);

            long low = admin.deleteRecords(Map.of(KTP, RecordsToDelete.beforeOffset(400))).lowWatermarks().get(KTP)
                    .get().lowWatermark();
            assertEquals(400, low);
            for (int id = 1; id <= 3; id++) {
                Partition replica = Replicas.replica(cluster, id, TP);
                assertEquals(400, replica.logStartOffset(), "the answer waited for broker " + id);
                long firstSegment = replica.log().segmentBaseOffsets().get(0);
                assertTrue(firstSegment > 0 && firstSegment <= 400, "segments below 400 deleted on broker " + id
                        + ": " + replica.log().segmentBaseOffsets());
            }
            assertEquals(400, admin.listOffsets(Map.of(KTP, OffsetSpec.earliest())).partitionResult(KTP).get()
                    .offset());
            List<ConsumerRecord<String, String>> records = consumeFromBeginning(600);
            assertEquals(400, records.get(0).offset());
            assertEquals("v400", records.get(0).value());
            assertEquals(600, records.size());

            ExecutionException beyond = assertThrows(ExecutionException.class, () -> admin.deleteRecords(
                    Map.of(KTP, RecordsToDelete.beforeOffset(1001))).lowWatermarks().get(KTP).get());
            assertInstanceOf(OffsetOutOfRangeException.class, beyond.getCause());
            assertEquals(400, admin.deleteRecords(Map.of(KTP, RecordsToDelete.beforeOffset(100))).lowWatermarks()
                    .get(KTP).get().lowWatermark(), "below the log start: nothing changes");

            int leader = leader();
            int follower = leader % 3 + 1;
            for (short v = 0; v <= 2; v++) {
                assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, raw(follower, TOPIC, 500, v), "v" + v);
                assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, raw(leader, "no-such-topic", 1, v), "v" + v);
            }
            assertEquals(400, Replicas.replica(cluster, follower, TP).logStartOffset());

            cluster.stopNode(follower);
            QuorumBroker.await("broker " + follower + " out of the ISR", () -> !isr().contains(follower));
            assertEquals(700, admin.deleteRecords(Map.of(KTP, RecordsToDelete.beforeOffset(700))).lowWatermarks()
                    .get(KTP).get().lowWatermark());
            cluster.startNode(follower);
            QuorumBroker.await("broker " + follower + " back in the ISR", () -> isr().contains(follower));
            awaitReplicas("every replica starting at 700", p -> p.logStartOffset() == 700);
        }
    }

    private void awaitReplicas(String what, java.util.function.Predicate<Partition> condition) {
        QuorumBroker.await(what, () -> IntStream.rangeClosed(1, 3).allMatch(id -> {
            Partition p = Replicas.replica(cluster, id, TP);
            return p != null && condition.test(p);
        }));
    }

    private int leader() {
        for (int id = 1; id <= 3; id++) {
            Partition p = Replicas.replica(cluster, id, TP);
            if (p != null && p.isLeader()) {
                return id;
            }
        }
        throw new AssertionError("no leader of " + TP);
    }

    private List<Integer> isr() {
        return Replicas.replica(cluster, leader(), TP).state().isr();
    }

    private Errors raw(int broker, String topic, long offset, short version) throws Exception {
        DeleteRecordsRequestData data = new DeleteRecordsRequestData().setTimeoutMs(5_000);
        data.topics().add(new DeleteRecordsRequestData.DeleteRecordsTopic().setName(topic).setPartitions(List.of(
                new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(offset))));
        try (RawClient c = new RawClient(cluster.brokerPort(broker))) {
            c.send(new DeleteRecordsRequest.Builder(data).build(version), 7);
            DeleteRecordsResponseData r = (DeleteRecordsResponseData) c.read(ApiKeys.DELETE_RECORDS, version, 7)
                    .data();
            DeleteRecordsResponseData.DeleteRecordsPartitionResult p = r.topics().find(topic).partitions().find(0);
            assertNotEquals(null, p);
            return Errors.forCode(p.errorCode());
        }
    }

    /** Ten acks=all batches of 100 records, {@code v0}..{@code v999}, each in a segment of its own. */
    private void produce(int count) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 1_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "v" + i));
                if (i % 100 == 99) {
                    producer.flush();
                    Thread.sleep(150); // segment.ms=100: the next batch starts a new segment
                }
            }
            producer.flush();
        }
    }

    private List<ConsumerRecord<String, String>> consumeFromBeginning(int count) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(KTP));
            consumer.seekToBeginning(List.of(KTP));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
