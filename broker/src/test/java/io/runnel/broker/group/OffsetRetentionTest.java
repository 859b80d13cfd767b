package io.runnel.broker.group;

import io.runnel.broker.testing.Images;
import io.runnel.metadata.controller.ControllerResult;
import io.runnel.metadata.controller.OffsetCommits;
import io.runnel.metadata.image.CommittedOffset;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.rpc.CommitOffsetsRequest;
import io.runnel.metadata.rpc.CommitOffsetsResponse;
import io.runnel.metadata.rpc.DeleteOffsetsRequest;
import io.runnel.metadata.rpc.DeleteOffsetsResponse;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code offsets.retention.minutes} end to end in one coordinator: its expiry task deletes the offsets of an empty
 * group once they are older than the retention (through the same controller decisions the metadata log applies),
 * keeps younger ones, and keeps every offset of a group with members. The clock is the test's; the check runs every
 * 20 ms.
 */
class OffsetRetentionTest {
    private static final long RETENTION_MS = 60_000;
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final AtomicReference<MetadataImage> image = new AtomicReference<>();
    private GroupCoordinator coordinator;

    /** The controller's pure decisions applied to the image at once, as the metadata log would. */
    private final OffsetLog log = new OffsetLog() {
        @Override
        public CompletableFuture<CommitOffsetsResponse> commit(CommitOffsetsRequest request) {
            ControllerResult<CommitOffsetsResponse> r = OffsetCommits.commit(image.get(), request, 4096);
            apply(r.records());
            return CompletableFuture.completedFuture(r.response());
        }

        @Override
        public CompletableFuture<DeleteOffsetsResponse> delete(DeleteOffsetsRequest request) {
            ControllerResult<DeleteOffsetsResponse> r = OffsetCommits.delete(image.get(), request);
            apply(r.records());
            return CompletableFuture.completedFuture(r.response());
        }
    };

    private synchronized void apply(List<MetadataRecord> records) {
        image.set(Images.apply(image.get(), records));
    }

    private CompletableFuture<Boolean> await(Predicate<MetadataImage> condition, long timeoutMs) {
        return CompletableFuture.completedFuture(condition.test(image.get()));
    }

    private void start() {
        List<MetadataRecord> records = new ArrayList<>(List.of(Images.broker(1, "127.0.0.1", 9092)));
        records.addAll(Images.topicOnBroker("t", UUID.randomUUID(), 2, 1, Map.of()));
        image.set(Images.apply(MetadataImage.empty("test"), records));
        GroupConfig config = new GroupConfig(0, 6000, 1_800_000, Integer.MAX_VALUE, RETENTION_MS, 20, 300_000);
        coordinator = new GroupCoordinator(1, config, log, this::await, image::get, clock::get, 1000);
        coordinator.onImage(image.get());
    }

    @AfterEach
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    private void commitWithoutMembers(String group, int partition, long offset) throws Exception {
        Map<TopicPartition, Errors> r = coordinator.commit(new CommitRequest(group, -1, "", null,
                Map.of(new TopicPartition("t", partition), new OffsetToCommit(offset, -1, "")))).get(10,
                TimeUnit.SECONDS);
        assertEquals(Errors.NONE, r.get(new TopicPartition("t", partition)));
    }

    private Map<TopicPartition, CommittedOffset> offsets(String group) {
        return image.get().offsets().getOrDefault(group, Map.of());
    }

    /** Lets the expiry task run several times. */
    private static void checks() throws InterruptedException {
        Thread.sleep(200);
    }

    @Test
    void offsetsOfAnEmptyGroupExpireAfterTheRetentionAndYoungerOnesStay() throws Exception {
        start();
        commitWithoutMembers("idle", 0, 5);
        clock.addAndGet(RETENTION_MS / 2);
        commitWithoutMembers("idle", 1, 7);
        clock.addAndGet(RETENTION_MS / 2 - 1);
        checks();
        assertEquals(2, offsets("idle").size(), "nothing is older than the retention yet");

        clock.addAndGet(1);
        TestNodes.await("t-0 expired", () -> !offsets("idle").containsKey(new TopicPartition("t", 0)));
        checks();
        assertEquals(7, offsets("idle").get(new TopicPartition("t", 1)).offset(), "the younger offset stays");

        clock.addAndGet(RETENTION_MS);
        TestNodes.await("the group's last offset expired", () -> !image.get().offsets().containsKey("idle"));
        TestNodes.await("the empty group forgotten", () -> {
            try {
                return coordinator.listGroups(java.util.Set.of()).get(10, TimeUnit.SECONDS).isEmpty();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void aGroupWithMembersKeepsItsOffsets() throws Exception {
        start();
        commitWithoutMembers("busy", 0, 3);
        JoinResult joined = coordinator.join(new JoinRequest("busy", "", null, "c", "/127.0.0.1", 10_000, 10_000,
                "consumer", List.of(new MemberProtocol("range", new byte[0])), false, false)).get(10,
                TimeUnit.SECONDS);
        assertEquals(Errors.NONE, joined.error());
        clock.addAndGet(10 * RETENTION_MS);
        checks();
        assertNotNull(offsets("busy").get(new TopicPartition("t", 0)), "a group with a member keeps its offsets");
        assertTrue(coordinator.isCoordinator("busy"));
    }
}
