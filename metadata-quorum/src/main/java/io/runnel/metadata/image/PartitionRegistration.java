package io.runnel.metadata.image;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.errors.MetadataReplayException;
import io.runnel.metadata.record.PartitionChangeRecord;
import io.runnel.metadata.record.PartitionRecord;
import java.util.HashSet;
import java.util.List;

/**
 * One partition's replica set and leadership (KRaft's PartitionRegistration). {@code replicas}: broker ids,
 * preferred leader first; {@code isr} a subset of them; {@code leader} a member of the ISR or {@link #NO_LEADER};
 * {@code leaderEpoch} bumps on every leader change (KIP-101/KIP-320 fencing); {@code partitionEpoch} on every change
 * (checked by AlterPartition, KIP-497). While a reassignment is in progress (KIP-455), {@code addingReplicas} lists
 * the replicas being added and {@code removingReplicas} those to drop once the adding ones joined the ISR: both
 * subsets of {@code replicas}, disjoint, ascending; both empty otherwise.
 */
public record PartitionRegistration(List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch,
                                    int partitionEpoch, List<Integer> addingReplicas,
                                    List<Integer> removingReplicas) {
    public static final int NO_LEADER = -1;

    public PartitionRegistration {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        addingReplicas = List.copyOf(addingReplicas);
        removingReplicas = List.copyOf(removingReplicas);
    }

    /** A registration with no reassignment in progress. */
    public PartitionRegistration(List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch,
                                 int partitionEpoch) {
        this(replicas, isr, leader, leaderEpoch, partitionEpoch, List.of(), List.of());
    }

    /** Whether a reassignment is in progress (KIP-455): some replica is being added or removed. */
    public boolean isReassigning() {
        return !addingReplicas.isEmpty() || !removingReplicas.isEmpty();
    }

    /** Builds and validates a registration from a full PartitionRecord; throws {@link MetadataReplayException}. */
    public static PartitionRegistration fromRecord(PartitionRecord r) {
        PartitionRegistration p = new PartitionRegistration(r.getReplicasList(), r.getIsrList(), r.getLeader(),
                r.getLeaderEpoch(), r.getPartitionEpoch(), r.getAddingReplicasList(), r.getRemovingReplicasList());
        p.validate("partition " + r.getPartitionId());
        return p;
    }

    /**
     * The registration after a sparse change: absent fields stay, the partition epoch bumps by one, the leader epoch
     * bumps by one when the change names a leader; adding/removing replicas change only when present. Throws {@link MetadataReplayException} if the result is invalid.
     */
    public PartitionRegistration merge(PartitionChangeRecord c) {
        List<Integer> newReplicas = c.hasReplicas() ? c.getReplicas().getIdsList() : replicas;
        List<Integer> newIsr = c.hasIsr() ? c.getIsr().getIdsList() : isr;
        int newLeader = c.hasLeader() ? c.getLeader() : leader;
        int newLeaderEpoch = c.hasLeader() ? leaderEpoch + 1 : leaderEpoch;
        List<Integer> newAdding = c.hasAddingReplicas() ? c.getAddingReplicas().getIdsList() : addingReplicas;
        List<Integer> newRemoving = c.hasRemovingReplicas() ? c.getRemovingReplicas().getIdsList() : removingReplicas;
        PartitionRegistration p = new PartitionRegistration(newReplicas, newIsr, newLeader, newLeaderEpoch,
                partitionEpoch + 1, newAdding, newRemoving);
        p.validate("partition " + c.getPartitionId());
        return p;
    }

    /** The record that recreates this registration. */
    public PartitionRecord toRecord(java.util.UUID topicId, int partitionId) {
        return PartitionRecord.newBuilder().setTopicId(Uuids.toProto(topicId)).setPartitionId(partitionId)
                .addAllReplicas(replicas).addAllIsr(isr).setLeader(leader).setLeaderEpoch(leaderEpoch)
                .setPartitionEpoch(partitionEpoch).addAllAddingReplicas(addingReplicas)
                .addAllRemovingReplicas(removingReplicas).build();
    }

    private void validate(String what) {
        if (replicas.isEmpty()) {
            throw new MetadataReplayException(ErrorCode.INVALID_REPLICA_ASSIGNMENT, what + " has no replicas");
        }
        HashSet<Integer> replicaSet = new HashSet<>(replicas);
        if (replicaSet.size() != replicas.size()) {
            throw new MetadataReplayException(ErrorCode.INVALID_REPLICA_ASSIGNMENT,
                    what + " lists a replica twice: " + replicas);
        }
        if (new HashSet<>(isr).size() != isr.size() || !replicaSet.containsAll(isr)) {
            throw new MetadataReplayException(ErrorCode.INVALID_REQUEST,
                    what + ": isr " + isr + " is not a set of replicas " + replicas);
        }
        if (leader != NO_LEADER && !isr.contains(leader)) {
            throw new MetadataReplayException(ErrorCode.INVALID_REQUEST,
                    what + ": leader " + leader + " is not in isr " + isr);
        }
        if (!replicaSet.containsAll(addingReplicas) || !replicaSet.containsAll(removingReplicas)
                || new HashSet<>(addingReplicas).size() != addingReplicas.size()
                || new HashSet<>(removingReplicas).size() != removingReplicas.size()
                || addingReplicas.stream().anyMatch(removingReplicas::contains)) {
            throw new MetadataReplayException(ErrorCode.INVALID_REPLICA_ASSIGNMENT, what + ": adding "
                    + addingReplicas + " and removing " + removingReplicas + " must be disjoint sets of replicas "
                    + replicas);
        }
        if (leaderEpoch < 0 || partitionEpoch < 0) {
            throw new MetadataReplayException(ErrorCode.INVALID_REQUEST, what + ": negative epoch");
        }
    }
}
