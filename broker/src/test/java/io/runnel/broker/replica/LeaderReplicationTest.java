package io.runnel.broker.replica;

import io.runnel.broker.testing.Images;
import io.runnel.log.epoch.EpochEndOffset;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.record.MetadataRecord;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.runnel.broker.replica.ReplicaManagerTest.NOW;
import static io.runnel.broker.replica.ReplicaManagerTest.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leader side of replication on one replica manager, driven by hand-made follower fetches and images: the
 * diverging-epoch answers (KIP-320 rules), followers' lag counting for acks=-1, and ISR change proposals.
 */
class LeaderReplicationTest {
    private static final long LAG_MS = 1_000;
    private static final TopicPartition TP = new TopicPartition("r", 0);
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(NOW);
    private final List<IsrProposal> proposals = new CopyOnWriteArrayList<>();
    private ReplicaManager rm;
    private MetadataImage image = MetadataImage.empty("c");
    private UUID topicId;

    @AfterEach
    void stop() {
        if (rm != null) {
            rm.close();
        }
    }

    private void start(List<Integer> replicas, int minIsr) {
        ReplicaSettings settings = new ReplicaSettings(1, List.of(dir), PartitionSettings.DEFAULT, 60_000, 300_000,
                LAG_MS);
        rm = new ReplicaManager(settings, "c", clock::get, (tp, id, proposal) -> {
            proposals.add(proposal);
            return new CompletableFuture<>();
        });
        topicId = UUID.randomUUID();
        publish(List.of(Images.broker(1, "h", 1), Images.broker(2, "h", 2), Images.broker(3, "h", 3),
                Images.topic("r", topicId), Images.partition(topicId, 0, replicas, 1, 0),
                Images.topicConfig("r", "min.insync.replicas", String.valueOf(minIsr))));
    }

    private void publish(List<MetadataRecord> records) {
        image = Images.apply(image, records);
        rm.applyImage(image);
    }

    private ProducePartitionResult append(int count, short acks, long timeoutMs) throws Exception {
        ByteBuffer records = batch(NOW, count);
        return rm.appendRecords(acks, timeoutMs, Map.of(TP, records)).get(10, TimeUnit.SECONDS).get(TP);
    }

    private FetchPartitionData followerFetch(int replica, long offset, int lastFetchedEpoch) throws Exception {
        FetchParams params = new FetchParams(replica, 0, 1, 1 << 20, List.of(new FetchPartition(TP, offset, 1 << 20,
                -1, lastFetchedEpoch)));
        return rm.fetchMessages(params).get(10, TimeUnit.SECONDS).get(0);
    }

    @Test
    void aDivergedFollowerIsToldWhereTheLeadersEpochEnds() throws Exception {
        start(List.of(1, 2), 1);
        assertEquals(Errors.NONE, append(5, (short) 1, 1000).error());
        publish(List.of(Images.partitionChange(topicId, 0, 2, List.of(1, 2))));
        publish(List.of(Images.partitionChange(topicId, 0, 1, List.of(1, 2))));
        assertEquals(2, rm.partition(TP).state().leaderEpoch());
        assertEquals(Errors.NONE, append(3, (short) 1, 1000).error());

        FetchPartitionData unknownEpoch = followerFetch(2, 7, 1);
        assertEquals(new EpochEndOffset(0, 5), unknownEpoch.divergingEpoch());
        assertTrue(unknownEpoch.records().isEmpty());
        assertEquals(new EpochEndOffset(2, 8), followerFetch(2, 9, 2).divergingEpoch());

        FetchPartitionData agreed = followerFetch(2, 5, 0);
        assertNull(agreed.divergingEpoch());
        assertEquals(Errors.NONE, agreed.error());
        assertFalse(agreed.records().isEmpty());
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, followerFetch(3, 5, 0).error(), "3 is not a replica");
    }

    @Test
    void theHighWatermarkIsTheSmallestLogEndOffsetOfTheIsr() throws Exception {
        start(List.of(1, 2, 3), 1);
        assertEquals(Errors.NONE, append(4, (short) 1, 1000).error());
        assertEquals(0, rm.partition(TP).highWatermark());
        followerFetch(2, 4, 0);
        assertEquals(0, rm.partition(TP).highWatermark(), "broker 3 has not fetched");
        followerFetch(3, 2, 0);
        assertEquals(2, rm.partition(TP).highWatermark());
        FetchPartitionData caughtUp = followerFetch(3, 4, 0);
        assertEquals(4, rm.partition(TP).highWatermark());
        assertEquals(4, caughtUp.highWatermark(), "the follower learns the high watermark its fetch moved");
    }

    @Test
    void followersThatStopFetchingDoNotCountForAcksAll() throws Exception {
        start(List.of(1, 2), 2);
        CompletableFuture<Map<TopicPartition, ProducePartitionResult>> waiting = rm.appendRecords((short) -1,
                60_000, Map.of(TP, batch(NOW, 2)));
        assertFalse(waiting.isDone(), "appended, waiting for broker 2");
        clock.addAndGet(LAG_MS + 1);
        ProducePartitionResult refused = append(1, (short) -1, 1000);
        assertEquals(Errors.NOT_ENOUGH_REPLICAS, refused.error());
        assertEquals(2, rm.partition(TP).logEndOffset(), "a refused produce appends nothing");

        followerFetch(2, 2, 0);
        assertEquals(Errors.NONE, waiting.get(10, TimeUnit.SECONDS).get(TP).error());
        CompletableFuture<Map<TopicPartition, ProducePartitionResult>> accepted = rm.appendRecords((short) -1,
                60_000, Map.of(TP, batch(NOW, 1)));
        followerFetch(2, 3, 0);
        assertEquals(Errors.NONE, accepted.get(10, TimeUnit.SECONDS).get(TP).error());
    }

    @Test
    void laggingMembersAreProposedOutAndCaughtUpFollowersBackIn() throws Exception {
        start(List.of(1, 2, 3), 1);
        assertEquals(Errors.NONE, append(3, (short) 1, 1000).error());
        followerFetch(2, 3, 0);
        clock.addAndGet(LAG_MS / 2);
        followerFetch(2, 3, 0);
        clock.addAndGet(LAG_MS / 2 + 1);
        IsrProposal shrink = rm.partition(TP).maybeShrinkIsr();
        assertEquals(List.of(1, 2), shrink.newIsr(), "broker 3 never caught up within the lag time");
        assertNull(rm.partition(TP).maybeShrinkIsr(), "one change at a time");
        assertEquals(List.of(shrink), new ArrayList<>(proposals));

        publish(List.of(Images.partitionChange(topicId, 0, null, List.of(1, 2))));
        assertNull(rm.partition(TP).pendingIsr(), "the image carried the change");
        assertEquals(Errors.NONE, append(2, (short) 1, 1000).error());
        followerFetch(3, 2, 0);
        assertEquals(1, proposals.size(), "broker 3 is below the high watermark (3)");
        followerFetch(2, 5, 0);
        followerFetch(3, 5, 0);
        assertEquals(List.of(1, 2, 3), proposals.get(1).newIsr());
        rm.partition(TP).isrChangeFailed(proposals.get(1));
        assertNull(rm.partition(TP).pendingIsr());

        followerFetch(3, 5, 0);
        assertEquals(2, proposals.size(), "no new proposal within the backoff after a refusal");
        clock.addAndGet(LeaderIsrState.RETRY_BACKOFF_MS);
        followerFetch(3, 5, 0);
        assertEquals(3, proposals.size(), "proposed again after the backoff");
        assertEquals(List.of(1, 2, 3), proposals.get(2).newIsr());
    }
}
