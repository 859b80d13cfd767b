package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerFixtures.apply;
import static io.runnel.metadata.controller.PartitionLeadershipTest.withPartition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.errors.MetadataReplayException;
import io.runnel.metadata.image.ImageCodec;
import io.runnel.metadata.image.MetadataDelta;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.MetadataProvenance;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.record.BrokerIdList;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.PartitionChangeRecord;
import io.runnel.metadata.rpc.AlterPartitionReassignmentsRequest;
import io.runnel.metadata.rpc.AlterPartitionReassignmentsResponse;
import io.runnel.metadata.rpc.AlterPartitionRequest;
import io.runnel.metadata.rpc.AlterPartitionResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * AlterPartitionReassignments (KIP-455) against an image with brokers 1-4 and topic "t" (id 7/7), partition 0 at
 * leader epoch 5, partition epoch 9.
 */
class PartitionReassignmentTest {
    private static final UUID ID = new UUID(7, 7);

    private static AlterPartitionReassignmentsRequest.Partition move(String topic, int partition,
                                                                      List<Integer> target) {
        return AlterPartitionReassignmentsRequest.Partition.newBuilder().setTopic(topic).setPartition(partition)
                .addAllReplicas(target).build();
    }

    private static AlterPartitionReassignmentsRequest.Partition cancel() {
        return AlterPartitionReassignmentsRequest.Partition.newBuilder().setTopic("t").setPartition(0)
                .setCancel(true).build();
    }

    private static ControllerResult<AlterPartitionReassignmentsResponse> alter(
            MetadataImage image, AlterPartitionReassignmentsRequest.Partition... partitions) {
        return PartitionReassignment.alter(image, AlterPartitionReassignmentsRequest.newBuilder()
                .addAllPartitions(List.of(partitions)).build());
    }

    /** Applies a successful alteration and returns the image after it. */
    private static MetadataImage applyOk(MetadataImage image, AlterPartitionReassignmentsRequest.Partition p) {
        ControllerResult<AlterPartitionReassignmentsResponse> r = alter(image, p);
        assertEquals(0, r.response().getPartitions(0).getErrorCode(), r.response().toString());
        return apply(image, r.records());
    }

    /** The leader proposes {@code isr}; returns the image after the accepted change. */
    private static MetadataImage expandIsr(MetadataImage image, List<Integer> isr) {
        PartitionRegistration p = partition(image);
        ControllerResult<AlterPartitionResponse> r = IsrChanges.alterPartition(image, AlterPartitionRequest
                .newBuilder().setBrokerId(p.leader()).setBrokerEpoch(p.leader()).addPartitions(
                        AlterPartitionRequest.Partition.newBuilder().setTopicId(Uuids.toProto(ID)).setPartition(0)
                                .setLeaderEpoch(p.leaderEpoch()).setPartitionEpoch(p.partitionEpoch())
                                .addAllNewIsr(isr)).build(), Set.of());
        assertEquals(0, r.response().getPartitions(0).getErrorCode(), r.response().toString());
        MetadataImage after = apply(image, r.records());
        PartitionRegistration q = partition(after);
        assertEquals(q.leader(), r.response().getPartitions(0).getLeaderId());
        assertEquals(q.leaderEpoch(), r.response().getPartitions(0).getLeaderEpoch());
        assertEquals(q.isr(), r.response().getPartitions(0).getIsrList());
        return after;
    }

    private static PartitionRegistration partition(MetadataImage image) {
        return image.topicsById().get(ID).partition(0);
    }

    @Test
    void aMoveAddsTheTargetFirstThenTheRemovedReplicasAndKeepsTheLeader() {
        MetadataImage after = applyOk(withPartition(List.of(1, 2), List.of(1, 2), 1), move("t", 0, List.of(2, 3)));
        assertEquals(new PartitionRegistration(List.of(2, 3, 1), List.of(1, 2), 1, 5, 10, List.of(3), List.of(1)),
                partition(after));
    }

    @Test
    void theRemovedReplicasFollowTheTargetInAscendingOrder() {
        MetadataImage after = applyOk(withPartition(List.of(3, 1, 2), List.of(1, 2, 3), 3),
                move("t", 0, List.of(4)));
        PartitionRegistration p = partition(after);
        assertEquals(List.of(4, 1, 2, 3), p.replicas());
        assertEquals(List.of(4), p.addingReplicas());
        assertEquals(List.of(1, 2, 3), p.removingReplicas());
    }

    @Test
    void completesWhenTheLastAddingReplicaJoinsTheIsrAndElectsALeaderFromTheTarget() {
        MetadataImage moving = applyOk(withPartition(List.of(1, 2), List.of(1, 2), 1), move("t", 0, List.of(3, 4)));
        MetadataImage half = expandIsr(moving, List.of(1, 2, 3));
        PartitionRegistration p = partition(half);
        assertEquals(List.of(3, 4, 1, 2), p.replicas());
        assertEquals(List.of(1, 2, 3), p.isr());
        assertTrue(p.isReassigning());
        assertEquals(5, p.leaderEpoch());
        PartitionRegistration done = partition(expandIsr(half, List.of(1, 2, 3, 4)));
        assertEquals(new PartitionRegistration(List.of(3, 4), List.of(3, 4), 3, 6, 12, List.of(), List.of()), done);
    }

    @Test
    void completionKeepsALeaderThatStaysAndBumpsItsEpochToFenceTheRemovedReplica() {
        MetadataImage moving = applyOk(withPartition(List.of(1, 2), List.of(1, 2), 2), move("t", 0, List.of(2, 3)));
        PartitionRegistration done = partition(expandIsr(moving, List.of(1, 2, 3)));
        assertEquals(new PartitionRegistration(List.of(2, 3), List.of(2, 3), 2, 6, 11, List.of(), List.of()), done);
    }

    @Test
    void aMoveTheIsrAlreadyAllowsCompletesAtOnce() {
        MetadataImage after = applyOk(withPartition(List.of(1, 2, 3), List.of(1, 2, 3), 1),
                move("t", 0, List.of(3, 2)));
        assertEquals(new PartitionRegistration(List.of(3, 2), List.of(2, 3), 3, 6, 10, List.of(), List.of()),
                partition(after));
    }

    @Test
    void reorderingTheReplicasCompletesAtOnceWithoutALeaderChange() {
        MetadataImage after = applyOk(withPartition(List.of(1, 2), List.of(1, 2), 1), move("t", 0, List.of(2, 1)));
        assertEquals(new PartitionRegistration(List.of(2, 1), List.of(1, 2), 1, 5, 10, List.of(), List.of()),
                partition(after));
    }

    @Test
    void theSameAssignmentWritesNothing() {
        ControllerResult<AlterPartitionReassignmentsResponse> r = alter(withPartition(List.of(1, 2), List.of(1, 2),
                1), move("t", 0, List.of(1, 2)));
        assertEquals(0, r.response().getPartitions(0).getErrorCode());
        assertTrue(r.records().isEmpty());
    }

    @Test
    void cancelRevertsToTheOriginalReplicasAndDropsTheAddingOnes() {
        MetadataImage image = withPartition(List.of(1, 2), List.of(1, 2), 1);
        MetadataImage moving = applyOk(image, move("t", 0, List.of(3, 4)));
        MetadataImage half = expandIsr(moving, List.of(1, 2, 3));
        PartitionRegistration reverted = partition(applyOk(half, cancel()));
        assertEquals(List.of(1, 2), reverted.replicas());
        assertEquals(List.of(1, 2), reverted.isr());
        assertEquals(1, reverted.leader());
        assertEquals(6, reverted.leaderEpoch()); // replicas 3 and 4 left
        assertTrue(!reverted.isReassigning());
    }

    @Test
    void aCancelThatWouldLeaveNoInSyncReplicaIsRefused() {
        MetadataImage image = withPartition(List.of(1, 2), List.of(1, 2), 1);
        MetadataImage moving = applyOk(image, move("t", 0, List.of(1, 3)));
        // hand-made: only the adding replica is in sync
        MetadataImage odd = apply(moving, List.of(MetadataRecord.newBuilder().setPartitionChange(
                PartitionChangeRecord.newBuilder().setTopicId(Uuids.toProto(ID)).setPartitionId(0).setLeader(3)
                        .setIsr(BrokerIdList.newBuilder().addIds(3))).build()));
        assertEquals(ErrorCode.INVALID_REPLICA_ASSIGNMENT.code(), alter(odd, cancel()).response().getPartitions(0)
                .getErrorCode());
    }

    @Test
    void aNewTargetReplacesTheReassignmentInProgressFromTheMergedReplicas() {
        MetadataImage moving = applyOk(withPartition(List.of(1, 2), List.of(1, 2), 1), move("t", 0, List.of(2, 3)));
        PartitionRegistration p = partition(applyOk(moving, move("t", 0, List.of(2, 4))));
        assertEquals(List.of(2, 4, 1, 3), p.replicas());
        assertEquals(List.of(4), p.addingReplicas());
        assertEquals(List.of(1, 3), p.removingReplicas());
        assertEquals(List.of(1, 2), p.isr());
        assertEquals(1, p.leader());
        assertEquals(List.of(2, 4), partition(expandIsr(applyOk(moving, move("t", 0, List.of(2, 4))),
                List.of(1, 2, 4))).replicas());
    }

    @Test
    void errorsUseKafkasCodesAndWriteNothing() {
        MetadataImage image = withPartition(List.of(1, 2), List.of(1, 2), 1);
        ControllerResult<AlterPartitionReassignmentsResponse> r = alter(image,
                move("nope", 0, List.of(1)),
                move("t", 1, List.of(1)),
                move("t", 0, List.of()),
                cancel());
        assertEquals(List.of(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(),
                        ErrorCode.INVALID_REQUEST.code(), ErrorCode.INVALID_REQUEST.code()), codes(r));
        assertTrue(r.records().isEmpty());
        assertEquals(ErrorCode.INVALID_REPLICA_ASSIGNMENT.code(), codes(alter(image, move("t", 0, List.of()))).get(0));
        assertEquals(ErrorCode.INVALID_REPLICA_ASSIGNMENT.code(), codes(alter(image, move("t", 0, List.of(2, 2))))
                .get(0));
        assertEquals(ErrorCode.INVALID_REPLICA_ASSIGNMENT.code(), codes(alter(image, move("t", 0, List.of(2, 9))))
                .get(0));
        assertEquals(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS.code(), codes(alter(image, cancel())).get(0));
        for (AlterPartitionReassignmentsRequest.Partition bad : List.of(move("t", 0, List.of()),
                move("t", 0, List.of(2, 2)), move("t", 0, List.of(9)), cancel())) {
            assertTrue(alter(image, bad).records().isEmpty());
        }
    }

    private static List<Short> codes(ControllerResult<AlterPartitionReassignmentsResponse> r) {
        List<Short> out = new ArrayList<>();
        r.response().getPartitionsList().forEach(p -> out.add((short) p.getErrorCode()));
        return out;
    }

    @Test
    void replayingTheRecordsGivesTheSameImageAsTheSnapshotRoundTrip() throws Exception {
        MetadataImage moving = applyOk(withPartition(List.of(1, 2), List.of(1, 2), 1), move("t", 0, List.of(3, 4)));
        MetadataImage half = expandIsr(moving, List.of(1, 2, 3));
        MetadataImage decoded = ImageCodec.fromBytes(ImageCodec.toBytes(half));
        assertEquals(half, decoded);
        assertEquals(List.of(3, 4), partition(decoded).addingReplicas());
        assertEquals(List.of(1, 2), partition(decoded).removingReplicas());
        // the same records replayed as one delta on the original image give the same partition
        MetadataDelta d = new MetadataDelta(withPartition(List.of(1, 2), List.of(1, 2), 1));
        alter(withPartition(List.of(1, 2), List.of(1, 2), 1), move("t", 0, List.of(3, 4))).records()
                .forEach(d::replay);
        assertEquals(partition(moving), partition(d.apply(new MetadataProvenance(1, 9))));
    }

    @Test
    void replayRefusesAddingOrRemovingReplicasOutsideTheReplicas() {
        MetadataImage image = withPartition(List.of(1, 2), List.of(1, 2), 1);
        MetadataRecord bad = MetadataRecord.newBuilder().setPartitionChange(PartitionChangeRecord.newBuilder()
                .setTopicId(Uuids.toProto(ID)).setPartitionId(0)
                .setAddingReplicas(BrokerIdList.newBuilder().addIds(3))).build();
        assertThrows(MetadataReplayException.class, () -> apply(image, List.of(bad)));
        MetadataRecord overlap = MetadataRecord.newBuilder().setPartitionChange(PartitionChangeRecord.newBuilder()
                .setTopicId(Uuids.toProto(ID)).setPartitionId(0)
                .setAddingReplicas(BrokerIdList.newBuilder().addIds(2))
                .setRemovingReplicas(BrokerIdList.newBuilder().addIds(2))).build();
        assertThrows(MetadataReplayException.class, () -> apply(image, List.of(overlap)));
    }
}
