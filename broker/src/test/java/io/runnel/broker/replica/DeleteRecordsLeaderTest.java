package io.runnel.broker.replica;

import io.runnel.broker.testing.Images;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.record.MetadataRecord;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.runnel.broker.replica.ReplicaManagerTest.NOW;
import static io.runnel.broker.replica.ReplicaManagerTest.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * DeleteRecords (KIP-107) on one replica manager leading a partition, its followers simulated by hand-made fetches
 * that report their log start offsets: the answer waits for the low watermark over the ISR, times out with
 * REQUEST_TIMED_OUT, and refuses what Kafka refuses.
 */
class DeleteRecordsLeaderTest {
    private static final TopicPartition TP = new TopicPartition("d", 0);
    @TempDir
    Path dir;
    private ReplicaManager rm;
    private MetadataImage image = MetadataImage.empty("c");
    private UUID topicId;

    @AfterEach
    void stop() {
        if (rm != null) {
            rm.close();
        }
    }

    /** Broker 1 leads {@code d-0} (replicas {@code replicas}, all in sync) holding 10 records. */
    private void start(List<Integer> replicas) throws Exception {
        ReplicaSettings settings = new ReplicaSettings(1, List.of(dir), PartitionSettings.DEFAULT, 60_000, 300_000,
                60_000);
        rm = new ReplicaManager(settings, "c", () -> NOW, (tp, id, proposal) -> new CompletableFuture<>());
        topicId = UUID.randomUUID();
        UUID otherId = UUID.randomUUID();
        publish(List.of(Images.broker(1, "h", 1), Images.broker(2, "h", 2), Images.broker(3, "h", 3),
                Images.topic("d", topicId), Images.partition(topicId, 0, replicas, 1, 0),
                Images.topic("other", otherId), Images.partition(otherId, 0, List.of(2), 2, 0)));
        assertEquals(Errors.NONE, rm.appendRecords((short) 1, 1000, Map.of(TP, batch(NOW, 10)))
                .get(10, TimeUnit.SECONDS).get(TP).error());
        for (int follower : replicas) {
            if (follower != 1) {
                fetch(follower, 10, 0);
            }
        }
        assertEquals(10, rm.partition(TP).highWatermark());
    }

    private void publish(List<MetadataRecord> records) {
        image = Images.apply(image, records);
        rm.applyImage(image);
    }

    /** A follower's fetch at {@code offset} reporting log start offset {@code logStart}. */
    private void fetch(int replica, long offset, long logStart) throws Exception {
        FetchParams params = new FetchParams(replica, 0, 1, 1 << 20,
                List.of(new FetchPartition(TP, offset, 1 << 20, -1, 0, logStart)));
        assertEquals(Errors.NONE, rm.fetchMessages(params).get(10, TimeUnit.SECONDS).get(0).error());
    }

    private CompletableFuture<Map<TopicPartition, DeleteRecordsPartitionResult>> delete(TopicPartition tp,
                                                                                          long offset, long timeout) {
        return rm.deleteRecords(timeout, Map.of(tp, offset));
    }

    private DeleteRecordsPartitionResult deleteNow(TopicPartition tp, long offset) throws Exception {
        return delete(tp, offset, 10_000).get(10, TimeUnit.SECONDS).get(tp);
    }

    @Test
    void theAnswerWaitsUntilEveryInSyncFollowerReportsTheNewLogStart() throws Exception {
        start(List.of(1, 2, 3));
        CompletableFuture<Map<TopicPartition, DeleteRecordsPartitionResult>> waiting = delete(TP, 4, 60_000);
        assertEquals(4, rm.partition(TP).logStartOffset(), "the leader deletes at once");
        assertFalse(waiting.isDone(), "followers still start at 0");
        fetch(2, 10, 4);
        assertFalse(waiting.isDone(), "broker 3 still starts at 0");
        fetch(3, 10, 4);
        DeleteRecordsPartitionResult r = waiting.get(10, TimeUnit.SECONDS).get(TP);
        assertEquals(Errors.NONE, r.error());
        assertEquals(4, r.lowWatermark());
        assertEquals(4, rm.fetchOffsetForTimestamp(TP, -2, -1).offset(), "ListOffsets earliest");
        assertEquals(Errors.NONE, deleteNow(TP, 2).error(), "below the log start: nothing to do");
        assertEquals(4, deleteNow(TP, 2).lowWatermark());
        assertEquals(4, rm.partition(TP).logStartOffset());
    }

    @Test
    void followersThatDoNotFollowInTimeTimeOutTheRequest() throws Exception {
        start(List.of(1, 2));
        DeleteRecordsPartitionResult r = delete(TP, 6, 200).get(10, TimeUnit.SECONDS).get(TP);
        assertEquals(Errors.REQUEST_TIMED_OUT, r.error());
        assertEquals(-1, r.lowWatermark());
        assertEquals(6, rm.partition(TP).logStartOffset(), "the leader's records are gone anyway");
    }

    @Test
    void onlyTheIsrCountsForTheLowWatermark() throws Exception {
        start(List.of(1, 2, 3));
        publish(List.of(Images.partitionChange(topicId, 0, null, List.of(1, 2))));
        CompletableFuture<Map<TopicPartition, DeleteRecordsPartitionResult>> waiting = delete(TP, 5, 60_000);
        fetch(2, 10, 5);
        assertEquals(5, waiting.get(10, TimeUnit.SECONDS).get(TP).lowWatermark(), "broker 3 left the ISR");
    }

    @Test
    void minusOneMeansTheHighWatermarkAndHigherOffsetsAreOutOfRange() throws Exception {
        start(List.of(1));
        DeleteRecordsPartitionResult beyond = deleteNow(TP, 11);
        assertEquals(Errors.OFFSET_OUT_OF_RANGE, beyond.error());
        assertEquals(Errors.OFFSET_OUT_OF_RANGE, deleteNow(TP, -2).error());
        assertEquals(0, rm.partition(TP).logStartOffset());
        DeleteRecordsPartitionResult all = deleteNow(TP, -1);
        assertEquals(Errors.NONE, all.error());
        assertEquals(10, all.lowWatermark());
        assertEquals(10, rm.partition(TP).logStartOffset());
    }

    @Test
    void unknownPartitionsFollowersAndCompactedTopicsAreRefused() throws Exception {
        start(List.of(1, 2));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, deleteNow(new TopicPartition("nope", 0), 1).error());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, deleteNow(new TopicPartition("d", 7), 1).error());
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, deleteNow(new TopicPartition("other", 0), 1).error(),
                "the image knows the topic, but this broker hosts no such partition");
        publish(List.of(Images.partitionChange(topicId, 0, 2, List.of(1, 2))));
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, deleteNow(TP, 1).error(), "broker 2 leads now");
        assertEquals(0, rm.partition(TP).logStartOffset());
        publish(List.of(Images.partitionChange(topicId, 0, 1, List.of(1)),
                Images.topicConfig("d", "cleanup.policy", "compact")));
        assertEquals(Errors.POLICY_VIOLATION, deleteNow(TP, 1).error());
    }
}
