package io.runnel.log;

/**
 * One aborted transaction of one producer on one partition, as the {@code .txnindex} stores it and as Fetch returns
 * it in {@code aborted_transactions} to read_committed consumers (KIP-98). Immutable.
 *
 * @param producerId       the transactional producer's id
 * @param firstOffset      offset of the first record of the transaction's first batch on this partition
 * @param lastOffset       offset of the transaction's abort marker (a control batch)
 * @param lastStableOffset the partition's last stable offset once the marker was written: the first offset of the
 *                         oldest transaction still open then, or {@code lastOffset + 1} when none was. Lookups rely on
 *                         it being truthful to stop early (see {@link PartitionLog#abortedTransactions})
 * @throws IllegalArgumentException when {@code firstOffset} is negative or above {@code lastOffset}
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {
    public AbortedTxn {
        if (firstOffset < 0 || firstOffset > lastOffset) {
            throw new IllegalArgumentException("aborted transaction of producer " + producerId + " spans offsets "
                    + firstOffset + ".." + lastOffset);
        }
    }
}
