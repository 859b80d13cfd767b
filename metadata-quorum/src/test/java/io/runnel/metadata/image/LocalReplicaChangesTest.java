package io.runnel.metadata.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.record.BrokerIdList;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.PartitionChangeRecord;
import io.runnel.metadata.record.PartitionRecord;
import io.runnel.metadata.record.RemoveTopicRecord;
import io.runnel.metadata.record.TopicRecord;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LocalReplicaChangesTest {
    private static final UUID A = new UUID(0, 1);
    private static final UUID B = new UUID(0, 2);

    private static MetadataImage apply(MetadataImage image, MetadataRecord... records) {
        MetadataDelta d = new MetadataDelta(image);
        for (MetadataRecord r : records) {
            d.replay(r);
        }
        return d.apply(new MetadataProvenance(1, image.provenance().index() + 1));
    }

    private static MetadataRecord topic(String name, UUID id) {
        return MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName(name)
                .setTopicId(Uuids.toProto(id))).build();
    }

    private static MetadataRecord partition(UUID id, int p, List<Integer> replicas, int leader) {
        return MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder().setTopicId(Uuids.toProto(id))
                .setPartitionId(p).addAllReplicas(replicas).addAllIsr(replicas).setLeader(leader)).build();
    }

    @Test
    void reportsLeadersFollowersAndRemovalsForOneNode() {
        MetadataImage empty = MetadataImage.empty("c");
        MetadataImage first = apply(empty, topic("a", A), partition(A, 0, List.of(1, 2), 1),
                partition(A, 1, List.of(2, 1), 2), partition(A, 2, List.of(2, 3), 2), topic("b", B),
                partition(B, 0, List.of(1), 1));
        LocalReplicaChanges c = LocalReplicaChanges.compute(empty, first, 1);
        assertEquals(List.of(new TopicPartition("a", 0), new TopicPartition("b", 0)),
                c.leaders().stream().map(LocalReplicaChanges.Leader::partition).toList());
        assertEquals(List.of(new TopicPartition("a", 1)),
                c.followers().stream().map(LocalReplicaChanges.Follower::partition).toList());
        assertEquals(2, c.followers().get(0).leaderId());
        assertTrue(c.removed().isEmpty());

        // a-1's leadership moves to node 1; node 1 leaves a-0's replicas; topic b is deleted; a-2 is not node 1's
        MetadataImage second = apply(first,
                MetadataRecord.newBuilder().setPartitionChange(PartitionChangeRecord.newBuilder()
                        .setTopicId(Uuids.toProto(A)).setPartitionId(1).setLeader(1)).build(),
                MetadataRecord.newBuilder().setPartitionChange(PartitionChangeRecord.newBuilder()
                        .setTopicId(Uuids.toProto(A)).setPartitionId(0).setLeader(2)
                        .setIsr(BrokerIdList.newBuilder().addIds(2))
                        .setReplicas(BrokerIdList.newBuilder().addIds(2))).build(),
                MetadataRecord.newBuilder().setPartitionChange(PartitionChangeRecord.newBuilder()
                        .setTopicId(Uuids.toProto(A)).setPartitionId(2).setLeader(3)).build(),
                MetadataRecord.newBuilder().setRemoveTopic(RemoveTopicRecord.newBuilder()
                        .setTopicId(Uuids.toProto(B))).build());
        LocalReplicaChanges d = LocalReplicaChanges.compute(first, second, 1);
        assertEquals(1, d.leaders().size());
        assertEquals(new TopicPartition("a", 1), d.leaders().get(0).partition());
        assertEquals(1, d.leaders().get(0).leaderEpoch());
        assertTrue(d.followers().isEmpty());
        assertEquals(List.of(new LocalReplicaChanges.Removed(new TopicPartition("a", 0), A, false),
                new LocalReplicaChanges.Removed(new TopicPartition("b", 0), B, true)), d.removed());

        LocalReplicaChanges forNode3 = LocalReplicaChanges.compute(first, second, 3);
        assertEquals(List.of(new TopicPartition("a", 2)),
                forNode3.leaders().stream().map(LocalReplicaChanges.Leader::partition).toList());
        assertTrue(LocalReplicaChanges.compute(second, second, 1).isEmpty());
    }
}
