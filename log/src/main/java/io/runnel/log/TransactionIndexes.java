package io.runnel.log;

import io.runnel.log.index.TransactionIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The aborted-transaction indexes of one log taken together (KIP-98): each {@link AbortedTxn} lives in the
 * {@link TransactionIndex} of the segment holding its abort marker ({@code lastOffset}). Segment deletion, truncation
 * and cleaning carry the indexes along (see {@link LogSegment}, {@link CleanerSwap}).
 *
 * <p>Locking: {@link #append} and {@link #reset} take the log's lock; {@link #collect} takes none.
 */
final class TransactionIndexes {
    private final PartitionLog log;
    private final LogSegments segments;
    private volatile long resets;

    TransactionIndexes(PartitionLog log, LogSegments segments) {
        this.log = log;
        this.segments = segments;
    }

    /**
     * See {@link PartitionLog#appendAbortedTransaction}: the segment holding {@code txn.lastOffset()} is the last one
     * whose base offset is at most it, provided it is below the log end offset.
     *
     * @throws IllegalArgumentException no segment holds {@code txn.lastOffset()}, or it is below that index's last
     * @throws LogException KAFKA_STORAGE_ERROR when the write fails or the log is closed
     */
    void append(AbortedTxn txn) {
        synchronized (log.lock()) {
            log.ensureOpen();
            Map.Entry<Long, LogSegment> e = segments.asMap().floorEntry(txn.lastOffset());
            if (e == null || txn.lastOffset() >= log.logEndOffset()) {
                throw new IllegalArgumentException("no segment of " + log.dir().getFileName() + " holds offset "
                        + txn.lastOffset() + " of " + txn);
            }
            StorageIo.run("aborted transaction index append", log.dir(), () -> e.getValue().txnIndex().append(txn));
        }
    }

    /** See {@link PartitionLog#abortedTransactions}. */
    List<AbortedTxn> collect(long fetchOffset, long upperBoundOffset) {
        NavigableMap<Long, LogSegment> map = segments.asMap();
        Long from = map.floorKey(fetchOffset);
        List<AbortedTxn> out = new ArrayList<>();
        if (map.isEmpty()) {
            return out;
        }
        for (LogSegment s : map.tailMap(from == null ? map.firstKey() : from, true).values()) {
            if (s.txnIndex().collectOverlapping(fetchOffset, upperBoundOffset, out)) {
                break;
            }
        }
        return out;
    }

    /** See {@link PartitionLog#resetTransactionIndexes}. */
    void reset() {
        synchronized (log.lock()) {
            log.ensureOpen();
            resets++;
            StorageIo.run("aborted transaction index reset", log.dir(), () -> {
                for (LogSegment s : segments.asMap().values()) {
                    s.txnIndex().reset();
                }
            });
        }
    }

    /** Bumped by every {@link #reset}, so a cleaning can tell the set of aborted transactions changed under it. */
    long resets() {
        return resets;
    }
}
