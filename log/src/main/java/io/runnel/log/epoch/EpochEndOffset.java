package io.runnel.log.epoch;

/**
 * The answer to "where does epoch E end in this log?" (OffsetForLeaderEpoch, KIP-101 and KIP-279): the largest epoch
 * at most E that this log knows, and the end offset (exclusive) of that epoch's records.
 *
 * @param epoch     the epoch the end offset belongs to, or {@link #UNDEFINED_EPOCH}
 * @param endOffset the first offset after that epoch, or {@link #UNDEFINED_OFFSET}
 */
public record EpochEndOffset(int epoch, long endOffset) {
    /** Kafka's UNDEFINED_EPOCH. */
    public static final int UNDEFINED_EPOCH = -1;
    /** Kafka's UNDEFINED_EPOCH_OFFSET. */
    public static final long UNDEFINED_OFFSET = -1L;
    /** The "don't know" answer. */
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED_OFFSET);
}
