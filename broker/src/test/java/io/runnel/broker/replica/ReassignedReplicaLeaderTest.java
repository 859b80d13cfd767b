package io.runnel.broker.replica;

import io.runnel.broker.testing.Images;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.record.BrokerIdList;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.PartitionChangeRecord;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leader during a reassignment (KIP-455), driven by hand-made images and follower fetches: a replica being added
 * fetches but counts for neither the high watermark nor acks=-1 until it is in the ISR, joins the ISR once caught up,
 * and a replica removed by the completed reassignment is refused as a follower.
 */
class ReassignedReplicaLeaderTest {
    private static final TopicPartition TP = new TopicPartition("r", 0);
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(NOW);
    private final List<IsrProposal> proposals = new CopyOnWriteArrayList<>();
    private ReplicaManager rm;
    private MetadataImage image = MetadataImage.empty("c");
    private final UUID topicId = UUID.randomUUID();

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

    private MetadataRecord change(Integer leader, List<Integer> replicas, List<Integer> isr, List<Integer> adding,
                                  List<Integer> removing) {
        PartitionChangeRecord.Builder c = PartitionChangeRecord.newBuilder().setTopicId(Uuids.toProto(topicId))
                .setPartitionId(0).setReplicas(BrokerIdList.newBuilder().addAllIds(replicas))
                .setIsr(BrokerIdList.newBuilder().addAllIds(isr))
                .setAddingReplicas(BrokerIdList.newBuilder().addAllIds(adding))
                .setRemovingReplicas(BrokerIdList.newBuilder().addAllIds(removing));
        if (leader != null) {
            c.setLeader(leader);
        }
        return MetadataRecord.newBuilder().setPartitionChange(c).build();
    }

    private FetchPartitionData followerFetch(int replica, long offset) throws Exception {
        FetchParams params = new FetchParams(replica, 0, 1, 1 << 20, List.of(new FetchPartition(TP, offset, 1 << 20,
                -1, offset == 0 ? -1 : 0)));
        return rm.fetchMessages(params).get(10, TimeUnit.SECONDS).get(0);
    }

    @Test
    void anAddingReplicaCountsOnlyOnceInTheIsr() throws Exception {
        rm = new ReplicaManager(new ReplicaSettings(1, List.of(dir), PartitionSettings.DEFAULT, 60_000, 300_000,
                1_000), "c", clock::get, (tp, id, proposal) -> {
                    proposals.add(proposal);
                    return new CompletableFuture<>();
                });
        publish(List.of(Images.broker(1, "h", 1), Images.broker(2, "h", 2), Images.broker(3, "h", 3),
                Images.topic("r", topicId), Images.partition(topicId, 0, List.of(1, 2), 1, 0),
                Images.topicConfig("r", "min.insync.replicas", "2")));
        // move [1, 2] -> [1, 3]: replicas [1, 3, 2], adding [3], removing [2]
        publish(List.of(change(null, List.of(1, 3, 2), List.of(1, 2), List.of(3), List.of(2))));
        CompletableFuture<Map<TopicPartition, ProducePartitionResult>> acked = rm.appendRecords((short) -1,
                60_000, Map.of(TP, batch(NOW, 4)));
        followerFetch(2, 4);
        assertEquals(Errors.NONE, acked.get(10, TimeUnit.SECONDS).get(TP).error());
        assertEquals(Errors.NONE, followerFetch(3, 0).error(), "the adding replica may fetch");
        assertEquals(4, rm.partition(TP).highWatermark(), "broker 3, not in the ISR, does not hold it back");

        CompletableFuture<Map<TopicPartition, ProducePartitionResult>> waiting = rm.appendRecords((short) -1,
                60_000, Map.of(TP, batch(NOW, 1)));
        assertFalse(waiting.isDone(), "broker 2, in the ISR, has not fetched offset 4");
        followerFetch(2, 5);
        assertEquals(Errors.NONE, waiting.get(10, TimeUnit.SECONDS).get(TP).error(), "acks=-1 without broker 3");
        assertEquals(5, rm.partition(TP).highWatermark());
        assertTrue(proposals.isEmpty(), "broker 3 is below the high watermark");
        followerFetch(3, 5);
        assertEquals(List.of(1, 2, 3), proposals.get(0).newIsr(), "caught up: proposed into the ISR");

        // the controller completes the move: replicas [1, 3], leader epoch bumped
        publish(List.of(change(1, List.of(1, 3), List.of(1, 3), List.of(), List.of())));
        assertEquals(1, rm.partition(TP).state().leaderEpoch());
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, followerFetch(2, 5).error(), "2 is no longer a replica");
        assertNotNull(rm.partition(TP));
        followerFetch(3, 5);
        assertEquals(5, rm.partition(TP).highWatermark());
    }
}
