package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerFixtures.apply;
import static io.runnel.metadata.controller.PartitionLeadershipTest.withPartition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.rpc.AlterPartitionRequest;
import io.runnel.metadata.rpc.AlterPartitionResponse;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** AlterPartition validation, in Kafka's order of checks. Partition: replicas 1,2,3, ISR 1,2, leader 1, epochs 5/9. */
class IsrChangesTest {
    private static final MetadataImage IMAGE = withPartition(List.of(1, 2, 3), List.of(1, 2), 1);

    private static ControllerResult<AlterPartitionResponse> alter(MetadataImage image, int broker, long epoch,
            UUID topic, int leaderEpoch, int partitionEpoch, List<Integer> isr, Set<Integer> leaving) {
        return IsrChanges.alterPartition(image, AlterPartitionRequest.newBuilder().setBrokerId(broker)
                .setBrokerEpoch(epoch).addPartitions(AlterPartitionRequest.Partition.newBuilder()
                        .setTopicId(Uuids.toProto(topic)).setPartition(0).setLeaderEpoch(leaderEpoch)
                        .setPartitionEpoch(partitionEpoch).addAllNewIsr(isr)).build(), leaving);
    }

    private static short code(int broker, int leaderEpoch, int partitionEpoch, List<Integer> isr) {
        return (short) alter(IMAGE, broker, broker, new UUID(7, 7), leaderEpoch, partitionEpoch, isr, Set.of())
                .response().getPartitions(0).getErrorCode();
    }

    @Test
    void acceptsAnExpansionAndReportsTheNewState() {
        ControllerResult<AlterPartitionResponse> r = alter(IMAGE, 1, 1, new UUID(7, 7), 5, 9, List.of(1, 2, 3),
                Set.of());
        AlterPartitionResponse.Partition p = r.response().getPartitions(0);
        assertEquals(0, p.getErrorCode());
        assertEquals(List.of(1, 2, 3), p.getIsrList());
        assertEquals(10, p.getPartitionEpoch());
        assertEquals(5, p.getLeaderEpoch());
        MetadataImage after = apply(IMAGE, r.records());
        assertEquals(List.of(1, 2, 3), after.topicsById().get(new UUID(7, 7)).partition(0).isr());
        assertEquals(10, after.topicsById().get(new UUID(7, 7)).partition(0).partitionEpoch());
    }

    @Test
    void anUnchangedIsrWritesNothing() {
        ControllerResult<AlterPartitionResponse> r = alter(IMAGE, 1, 1, new UUID(7, 7), 5, 9, List.of(2, 1),
                Set.of());
        assertTrue(r.records().isEmpty());
        assertEquals(9, r.response().getPartitions(0).getPartitionEpoch());
    }

    @Test
    void rejectsWithKafkasErrorCodes() {
        assertEquals(ErrorCode.NOT_LEADER_OR_FOLLOWER.code(), code(2, 5, 9, List.of(1, 2)));
        assertEquals(ErrorCode.FENCED_LEADER_EPOCH.code(), code(1, 4, 9, List.of(1, 2, 3)));
        assertEquals(ErrorCode.NOT_CONTROLLER.code(), code(1, 6, 9, List.of(1, 2, 3)));
        assertEquals(ErrorCode.INVALID_UPDATE_VERSION.code(), code(1, 5, 8, List.of(1, 2, 3)));
        assertEquals(ErrorCode.NOT_CONTROLLER.code(), code(1, 5, 10, List.of(1, 2, 3)));
        assertEquals(ErrorCode.INVALID_REQUEST.code(), code(1, 5, 9, List.of(2, 3)));
        assertEquals(ErrorCode.INVALID_REQUEST.code(), code(1, 5, 9, List.of(1, 4)));
        assertEquals(ErrorCode.INVALID_REQUEST.code(), code(1, 5, 9, List.of(1, 1)));
        assertEquals(ErrorCode.UNKNOWN_TOPIC_ID.code(), alter(IMAGE, 1, 1, new UUID(1, 1), 5, 9, List.of(1),
                Set.of()).response().getPartitions(0).getErrorCode());
        assertEquals(ErrorCode.INELIGIBLE_REPLICA.code(), alter(IMAGE, 1, 1, new UUID(7, 7), 5, 9,
                List.of(1, 2, 3), Set.of(3)).response().getPartitions(0).getErrorCode());
        MetadataImage fenced3 = apply(IMAGE, List.of(Records.fence(3, 3)));
        assertEquals(ErrorCode.INELIGIBLE_REPLICA.code(), alter(fenced3, 1, 1, new UUID(7, 7), 5, 9,
                List.of(1, 2, 3), Set.of()).response().getPartitions(0).getErrorCode());
        assertEquals(ErrorCode.STALE_BROKER_EPOCH.code(), alter(IMAGE, 1, 99, new UUID(7, 7), 5, 9, List.of(1),
                Set.of()).response().getErrorCode());
        assertEquals(ErrorCode.BROKER_ID_NOT_REGISTERED.code(), alter(IMAGE, 42, 1, new UUID(7, 7), 5, 9,
                List.of(1), Set.of()).response().getErrorCode());
    }
}
