package io.runnel.broker.replica;

import java.util.List;

/**
 * An ISR change a partition leader asks the controller for (AlterPartition, KIP-497), checked there against the
 * epochs the leader saw. Immutable.
 *
 * @param newIsr         the proposed ISR, leader included
 * @param leaderEpoch    the leader epoch the leader holds
 * @param partitionEpoch the partition epoch of the ISR the proposal changes
 * @param reason         for the log: which follower joins or which lag
 */
public record IsrProposal(List<Integer> newIsr, int leaderEpoch, int partitionEpoch, String reason) {
    public IsrProposal {
        newIsr = List.copyOf(newIsr);
    }
}
