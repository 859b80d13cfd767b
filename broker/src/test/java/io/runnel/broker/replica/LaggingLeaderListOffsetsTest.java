package io.runnel.broker.replica;

import io.runnel.broker.testing.Images;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.record.MetadataRecord;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;
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

/**
 * KIP-207 on a new leader: broker 1 holds offsets 0-14 of which only 0-9 are known committed (high watermark 10)
 * when it becomes leader again. Until its followers fetch in the new epoch, a consumer's ListOffsets LATEST must not
 * answer 10, an end below records the previous leader may have acknowledged (a final read that trusted it missed
 * an acknowledged record in a fault run); it gets the retriable OFFSET_NOT_AVAILABLE.
 */
class LaggingLeaderListOffsetsTest {
    private static final TopicPartition TP = new TopicPartition("l", 0);
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

    private void publish(List<MetadataRecord> records) {
        image = Images.apply(image, records);
        rm.applyImage(image);
    }

    private void fetch(int replica, long offset, int currentLeaderEpoch, int lastFetchedEpoch) throws Exception {
        FetchParams params = new FetchParams(replica, 0, 1, 1 << 20,
                List.of(new FetchPartition(TP, offset, 1 << 20, currentLeaderEpoch, lastFetchedEpoch, 0)));
        assertEquals(Errors.NONE, rm.fetchMessages(params).get(10, TimeUnit.SECONDS).get(0).error());
    }

    private OffsetLookupResult consumer(long timestamp) {
        return rm.fetchOffsetForTimestamp(TP, timestamp, -1, true, false);
    }

    @Test
    void aNewLeaderAnswersConsumersOnlyOnceItsHighWatermarkReachesItsEpochStart() throws Exception {
        ReplicaSettings settings = new ReplicaSettings(1, List.of(dir), PartitionSettings.DEFAULT, 60_000, 300_000,
                60_000);
        rm = new ReplicaManager(settings, "c", () -> NOW, (tp, id, proposal) -> new CompletableFuture<>());
        topicId = UUID.randomUUID();
        publish(List.of(Images.broker(1, "h", 1), Images.broker(2, "h", 2), Images.broker(3, "h", 3),
                Images.topic("l", topicId), Images.partition(topicId, 0, List.of(1, 2, 3), 1, 0)));
        assertEquals(Errors.NONE, rm.appendRecords((short) 1, 1000, Map.of(TP, batch(NOW, 10)))
                .get(10, TimeUnit.SECONDS).get(TP).error());
        fetch(2, 10, 0, 0);
        fetch(3, 10, 0, 0);
        assertEquals(10, rm.partition(TP).highWatermark());
        assertEquals(Errors.NONE, rm.appendRecords((short) 1, 1000, Map.of(TP, batch(NOW + 100, 5)))
                .get(10, TimeUnit.SECONDS).get(TP).error());
        assertEquals(15, rm.partition(TP).logEndOffset());
        assertEquals(10, consumer(ListOffsetsRequest.LATEST_TIMESTAMP).offset(), "same epoch: the high watermark");

        publish(List.of(Images.partitionChange(topicId, 0, 2, List.of(1, 2, 3))));
        publish(List.of(Images.partitionChange(topicId, 0, 1, List.of(1, 2, 3))));
        int epoch = rm.partition(TP).state().leaderEpoch();
        assertEquals(10, rm.partition(TP).highWatermark(), "the followers have not fetched in the new epoch");

        assertEquals(Errors.OFFSET_NOT_AVAILABLE, consumer(ListOffsetsRequest.LATEST_TIMESTAMP).error());
        assertEquals(Errors.OFFSET_NOT_AVAILABLE, consumer(NOW + 100).error(), "its record is not below 10");
        assertEquals(Errors.OFFSET_NOT_AVAILABLE, consumer(NOW + 1_000).error(), "no record at all yet");
        assertEquals(0, consumer(ListOffsetsRequest.EARLIEST_TIMESTAMP).offset());
        assertEquals(3, consumer(NOW + 3).offset(), "found below the high watermark");
        assertEquals(9, consumer(ListOffsetsRequest.MAX_TIMESTAMP).offset());
        OffsetLookupResult debug = rm.fetchOffsetForTimestamp(TP, ListOffsetsRequest.LATEST_TIMESTAMP, -1, false, false);
        assertEquals(Errors.NONE, debug.error(), "only consumers are refused");

        fetch(2, 15, epoch, 0);
        assertEquals(Errors.OFFSET_NOT_AVAILABLE, consumer(ListOffsetsRequest.LATEST_TIMESTAMP).error(),
                "broker 3 is in the ISR and has not fetched");
        fetch(3, 15, epoch, 0);
        assertEquals(15, rm.partition(TP).highWatermark());
        OffsetLookupResult latest = consumer(ListOffsetsRequest.LATEST_TIMESTAMP);
        assertEquals(Errors.NONE, latest.error());
        assertEquals(15, latest.offset());
        assertEquals(epoch, latest.leaderEpoch());
        assertEquals(10, consumer(NOW + 100).offset());
    }
}
