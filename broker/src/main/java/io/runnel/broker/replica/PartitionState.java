package io.runnel.broker.replica;

import io.runnel.metadata.image.PartitionRegistration;

import java.util.List;

/**
 * A hosted partition's replica set and leadership as of the last image applied. Immutable.
 *
 * @param replicas       broker ids, preferred leader first
 * @param isr            in-sync replicas
 * @param leader         the leader's broker id, or -1
 * @param leaderEpoch    the leader epoch (KIP-101); every batch this leader appends is stamped with it
 * @param partitionEpoch bumped on every change (KIP-497)
 */
public record PartitionState(List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch,
                             int partitionEpoch) {
    public PartitionState {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }

    /** The state a registration describes. */
    public static PartitionState of(PartitionRegistration r) {
        return new PartitionState(r.replicas(), r.isr(), r.leader(), r.leaderEpoch(), r.partitionEpoch());
    }
}
