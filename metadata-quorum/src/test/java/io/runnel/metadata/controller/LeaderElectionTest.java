package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerFixtures.apply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.errors.ControllerApiException;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.record.FenceBrokerRecord;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.rpc.ElectLeadersRequest;
import io.runnel.metadata.rpc.ElectLeadersResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Kafka's ElectLeaders decisions (preferred, unclean, errors) against images, as pure functions. */
class LeaderElectionTest {
    private static ElectLeadersRequest request(int type, String topic, Integer... partitions) {
        return ElectLeadersRequest.newBuilder().setElectionType(type).addTopics(ElectLeadersRequest.Topic
                .newBuilder().setName(topic).addAllPartitions(List.of(partitions))).build();
    }

    private static MetadataImage fenced(MetadataImage image, int id) {
        return apply(image, List.of(MetadataRecord.newBuilder().setFenceBroker(FenceBrokerRecord.newBuilder()
                .setBrokerId(id).setBrokerEpoch(id)).build()));
    }

    private static ElectLeadersResponse.Partition only(ControllerResult<ElectLeadersResponse> r) {
        return r.response().getTopics(0).getPartitions(0);
    }

    private static PartitionRegistration after(MetadataImage image, ControllerResult<ElectLeadersResponse> r) {
        return apply(image, r.records()).topicsByName().get("t").partition(0);
    }

    @Test
    void preferredMovesLeadershipToTheFirstReplicaAndBumpsTheLeaderEpoch() {
        MetadataImage image = PartitionLeadershipTest.withPartition(List.of(1, 2, 3), List.of(1, 2, 3), 2);
        ControllerResult<ElectLeadersResponse> r = LeaderElection.elect(image, request(0, "t", 0), Set.of());
        assertEquals(0, only(r).getErrorCode());
        assertEquals(1, only(r).getLeaderId());
        assertEquals(6, only(r).getLeaderEpoch());
        PartitionRegistration p = after(image, r);
        assertEquals(1, p.leader());
        assertEquals(6, p.leaderEpoch());
        assertEquals(List.of(1, 2, 3), p.isr());
    }

    @Test
    void preferredErrors() {
        MetadataImage led = PartitionLeadershipTest.withPartition(List.of(1, 2, 3), List.of(1, 2, 3), 1);
        assertEquals(ErrorCode.ELECTION_NOT_NEEDED.code(), only(LeaderElection.elect(led, request(0, "t", 0),
                Set.of())).getErrorCode());
        MetadataImage outOfSync = PartitionLeadershipTest.withPartition(List.of(1, 2, 3), List.of(2, 3), 2);
        ControllerResult<ElectLeadersResponse> r = LeaderElection.elect(outOfSync, request(0, "t", 0), Set.of());
        assertEquals(ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE.code(), only(r).getErrorCode());
        assertTrue(r.records().isEmpty());
        MetadataImage shuttingDown = PartitionLeadershipTest.withPartition(List.of(1, 2, 3), List.of(1, 2, 3), 2);
        assertEquals(ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE.code(), only(LeaderElection.elect(shuttingDown,
                request(0, "t", 0), Set.of(1))).getErrorCode(), "a broker in controlled shutdown is not alive");
        ControllerResult<ElectLeadersResponse> unknown = LeaderElection.elect(led, request(0, "t", 5), Set.of());
        assertEquals(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(), only(unknown).getErrorCode());
        assertEquals(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(), only(LeaderElection.elect(led,
                request(1, "nope", 0), Set.of())).getErrorCode());
        assertThrows(ControllerApiException.class, () -> LeaderElection.elect(led, request(2, "t", 0), Set.of()));
    }

    @Test
    void uncleanElectsAnAliveReplicaOutsideTheIsrOnlyForALeaderlessPartition() {
        MetadataImage leaderless = fenced(PartitionLeadershipTest.withPartition(List.of(1, 2, 3), List.of(1), -1),
                1);
        ControllerResult<ElectLeadersResponse> r = LeaderElection.elect(leaderless, request(1, "t", 0), Set.of());
        assertEquals(0, only(r).getErrorCode());
        PartitionRegistration p = after(leaderless, r);
        assertEquals(2, p.leader());
        assertEquals(List.of(2), p.isr());
        assertEquals(6, p.leaderEpoch());

        MetadataImage led = PartitionLeadershipTest.withPartition(List.of(1, 2, 3), List.of(1), 1);
        assertEquals(ErrorCode.ELECTION_NOT_NEEDED.code(), only(LeaderElection.elect(led, request(1, "t", 0),
                Set.of())).getErrorCode());
        MetadataImage nobody = fenced(fenced(leaderless, 2), 3);
        ControllerResult<ElectLeadersResponse> none = LeaderElection.elect(nobody, request(1, "t", 0), Set.of());
        assertEquals(ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE.code(), only(none).getErrorCode());
        assertTrue(none.records().isEmpty());
    }

    @Test
    void allPartitionsLeavesOutThoseNotNeedingAnElectionAndAPartitionNamedTwiceIsElectedOnce() {
        MetadataImage image = PartitionLeadershipTest.withPartition(List.of(1, 2, 3), List.of(1, 2, 3), 3);
        ControllerResult<ElectLeadersResponse> all = LeaderElection.elect(image, ElectLeadersRequest.newBuilder()
                .setElectionType(0).setAllPartitions(true).build(), Set.of());
        assertEquals(1, all.records().size());
        assertEquals(1, all.response().getTopics(0).getPartitionsCount());
        ControllerResult<ElectLeadersResponse> none = LeaderElection.elect(apply(image, all.records()),
                ElectLeadersRequest.newBuilder().setElectionType(0).setAllPartitions(true).build(), Set.of());
        assertTrue(none.records().isEmpty());
        assertEquals(0, none.response().getTopics(0).getPartitionsCount());

        ControllerResult<ElectLeadersResponse> twice = LeaderElection.elect(image, request(0, "t", 0, 0), Set.of());
        assertEquals(1, twice.records().size());
        assertEquals(twice.response().getTopics(0).getPartitions(0), twice.response().getTopics(0).getPartitions(1));
        assertEquals(6, after(image, twice).leaderEpoch());
    }
}
