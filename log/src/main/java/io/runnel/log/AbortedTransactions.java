package io.runnel.log;

import io.runnel.log.record.RecordBatchHeader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The aborted transactions of a log as the cleaner sees them (KIP-98): a snapshot of every segment's
 * {@link io.runnel.log.index.TransactionIndex}, by producer id. A batch is aborted when it is transactional, not a
 * control batch, and some aborted transaction of its producer spans its base offset
 * ({@code firstOffset <= baseOffset <= lastOffset}). Immutable once built.
 */
final class AbortedTransactions {
    /**
     * Per producer id: the aborted transactions' {firstOffset, greatest lastOffset among this and the earlier ones},
     * sorted by first offset.
     */
    private final Map<Long, long[][]> byProducer;

    private AbortedTransactions(Map<Long, long[][]> byProducer) {
        this.byProducer = byProducer;
    }

    /** Reads every segment's index now. */
    static AbortedTransactions of(NavigableMap<Long, LogSegment> segments) {
        Map<Long, List<long[]>> lists = new HashMap<>();
        for (LogSegment s : segments.values()) {
            for (AbortedTxn t : s.txnIndex().all()) {
                lists.computeIfAbsent(t.producerId(), k -> new ArrayList<>())
                        .add(new long[] {t.firstOffset(), t.lastOffset()});
            }
        }
        Map<Long, long[][]> byProducer = new HashMap<>();
        lists.forEach((pid, ranges) -> {
            ranges.sort((a, b) -> Long.compare(a[0], b[0]));
            for (int i = 1; i < ranges.size(); i++) {
                ranges.get(i)[1] = Math.max(ranges.get(i)[1], ranges.get(i - 1)[1]);
            }
            byProducer.put(pid, ranges.toArray(new long[0][]));
        });
        return new AbortedTransactions(byProducer);
    }

    /** True when {@code h} is a data batch of an aborted transaction, to be dropped by the cleaner. */
    boolean isAborted(RecordBatchHeader h) {
        if (!h.isTransactional() || h.isControl()) {
            return false;
        }
        long[][] ranges = byProducer.get(h.producerId());
        if (ranges == null) {
            return false;
        }
        int lo = 0;
        int hi = ranges.length - 1;
        int floor = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ranges[mid][0] <= h.baseOffset()) {
                floor = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        // every transaction up to floor starts at or before the batch: one of them spans it iff the furthest reaching does
        return floor >= 0 && h.baseOffset() <= ranges[floor][1];
    }
}
