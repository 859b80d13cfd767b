package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerFixtures.apply;
import static io.runnel.metadata.controller.ControllerFixtures.brokers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.record.ConfigResourceType;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.PartitionRecord;
import io.runnel.metadata.record.TopicRecord;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PartitionLeadershipTest {
    private static final UUID ID = new UUID(7, 7);

    /** Brokers 1..4 unfenced, topic "t" partition 0 with the given replicas, ISR and leader. */
    static MetadataImage withPartition(List<Integer> replicas, List<Integer> isr, int leader) {
        return apply(brokers(4, 0), List.of(
                MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName("t")
                        .setTopicId(Uuids.toProto(ID))).build(),
                MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder().setTopicId(Uuids.toProto(ID))
                        .setPartitionId(0).addAllReplicas(replicas).addAllIsr(isr).setLeader(leader)
                        .setLeaderEpoch(5).setPartitionEpoch(9)).build()));
    }

    private static PartitionRegistration partition(MetadataImage image) {
        return image.topicsById().get(ID).partition(0);
    }

    @Test
    void fencingTheLeaderElectsTheNextIsrMemberInReplicaOrderAndShrinksTheIsr() {
        MetadataImage image = withPartition(List.of(2, 3, 1), List.of(1, 2, 3), 2);
        MetadataImage after = apply(image, BrokerLifecycle.fence(image, 2, Set.of(), false));
        PartitionRegistration p = partition(after);
        assertEquals(3, p.leader());
        assertEquals(Set.of(1, 3), Set.copyOf(p.isr()));
        assertEquals(6, p.leaderEpoch());
        assertEquals(10, p.partitionEpoch());
        assertTrue(after.brokers().get(2).fenced());
    }

    @Test
    void fencingAFollowerOnlyShrinksTheIsr() {
        MetadataImage image = withPartition(List.of(1, 2, 3), List.of(1, 2, 3), 1);
        PartitionRegistration p = partition(apply(image, BrokerLifecycle.fence(image, 3, Set.of(), false)));
        assertEquals(1, p.leader());
        assertEquals(5, p.leaderEpoch());
        assertEquals(List.of(1, 2), p.isr());
    }

    @Test
    void theLastIsrMemberStaysAndThePartitionGoesOfflineWithoutUncleanElection() {
        MetadataImage image = withPartition(List.of(1, 2), List.of(1), 1);
        MetadataImage after = apply(image, BrokerLifecycle.fence(image, 1, Set.of(), false));
        assertEquals(PartitionRegistration.NO_LEADER, partition(after).leader());
        assertEquals(List.of(1), partition(after).isr());
        // it comes back: it leads again, cleanly
        MetadataImage back = apply(after, BrokerLifecycle.unfence(after, 1, Set.of(), false));
        assertEquals(1, partition(back).leader());
        assertEquals(7, partition(back).leaderEpoch());
    }

    @Test
    void uncleanElectionPicksAnAliveReplicaOutsideTheIsrWhenTheTopicAllowsIt() {
        MetadataImage image = apply(withPartition(List.of(1, 2), List.of(1), 1), List.of(Records.config(
                ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "t", "unclean.leader.election.enable", "true")));
        PartitionRegistration p = partition(apply(image, BrokerLifecycle.fence(image, 1, Set.of(), false)));
        assertEquals(2, p.leader());
        assertEquals(List.of(2), p.isr());
        // the cluster default applies when the topic says nothing
        MetadataImage plain = withPartition(List.of(1, 2), List.of(1), 1);
        assertEquals(2, partition(apply(plain, BrokerLifecycle.fence(plain, 1, Set.of(), true))).leader());
    }

    @Test
    void brokersInControlledShutdownAreNotElected() {
        MetadataImage image = withPartition(List.of(1, 2, 3), List.of(1, 2, 3), 1);
        PartitionRegistration p = partition(apply(image, BrokerLifecycle.fence(image, 1, Set.of(2), false)));
        assertEquals(3, p.leader());
    }

    @Test
    void preferredLeaderElectionReturnsLeadershipToTheFirstReplica() {
        MetadataImage image = withPartition(List.of(1, 2, 3), List.of(1, 2, 3), 2);
        List<MetadataRecord> moves = PartitionLeadership.electPreferred(image, PartitionLeadership.alive(image,
                Set.of()));
        assertEquals(1, partition(apply(image, moves)).leader());
        // not while the preferred replica is out of the ISR
        MetadataImage outOfSync = withPartition(List.of(1, 2, 3), List.of(2, 3), 2);
        assertTrue(PartitionLeadership.electPreferred(outOfSync, PartitionLeadership.alive(outOfSync, Set.of()))
                .isEmpty());
    }
}
