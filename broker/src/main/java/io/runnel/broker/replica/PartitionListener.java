package io.runnel.broker.replica;

import io.runnel.metadata.image.TopicPartition;

/**
 * Told of what a partition's leader did that others wait for: its high watermark moved forward (waiting fetches and
 * acks=-1 produces may complete), a follower's log start offset moved (DeleteRecords may complete), or it wants the controller to change its ISR (AlterPartition, KIP-497).
 */
public interface PartitionListener {
    /** Called outside the partition's locks, on the thread that moved the high watermark. */
    void onHighWatermarkAdvanced(TopicPartition tp);

    /**
     * The leader proposes {@code proposal}; the partition keeps it pending (and counts the maximal ISR for the high
     * watermark) until an image shows the change or {@link Partition#isrChangeFailed} is called. Called outside the
     * partition's locks.
     */
    void onIsrChangeProposed(Partition partition, IsrProposal proposal);

    /**
     * A follower reported a higher log start offset, so the DeleteRecords low watermark (KIP-107) may have moved:
     * waiting DeleteRecords requests may complete. Called outside the partition's locks; nothing by default.
     */
    default void onLowWatermarkAdvanced(TopicPartition tp) {
    }
}
