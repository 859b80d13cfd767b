package io.runnel.log;

import io.runnel.log.record.BatchCodec;
import io.runnel.log.record.RecordBatchHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The transaction-marker bookkeeping of one cleaning (KIP-98 markers, KIP-534 delete horizon; Kafka's
 * {@code CleanedTransactionMetadata}). The cleaning shows it every batch below its end in offset order, before
 * filtering; it decides what becomes of each control batch (commit or abort marker) and which aborted-transaction
 * index entries the cleaned segments keep.
 *
 * <p>A marker is <em>removable</em> when no data batch of the transaction it ends was read in this cleaning: a
 * transactional data batch of producer {@code p} belongs to the transaction ended by {@code p}'s next marker, and all
 * of a transaction's batches precede its marker, so none is left in the log. Aborted data is dropped by the cleaning
 * that reads it and committed batches once all their records were superseded, so a marker becomes removable in the
 * cleaning after its last batch went (as in Kafka). A removable marker without a delete horizon is rewritten with
 * horizon = now + {@code delete.retention.ms} ({@link BatchCodec#DELETE_HORIZON_FLAG}, base timestamp = horizon); a
 * removable marker whose horizon has passed ({@code now >= horizon}) is dropped, unless it is its producer's last
 * batch below the cleaning's end (kept, as Kafka keeps it, for the producer's epoch). A marker with data left, or at
 * or above the end, is copied unchanged. So a read_committed consumer that reads a transaction's records within
 * {@code delete.retention.ms} of its marker being stamped also reads the marker.
 *
 * <p>An aborted transaction's index entry ({@link AbortedTxn}, keyed by its marker's offset) is dropped together with
 * its marker and kept as long as the marker stays. A kept entry whose data is gone is harmless to readers: Kafka's
 * consumer starts skipping the producer's transactional batches at {@code firstOffset} and stops at the marker, and
 * none of the producer's batches lie between (Kafka itself drops the entry as soon as the data is gone). An entry
 * left without its marker would make a consumer skip the producer's later committed transactions, which is why the
 * two go together. Not thread-safe: one cleaning's thread.
 */
final class TxnMarkerCleaning {
    /** What becomes of a control batch. */
    enum Fate {
        /** Copied unchanged. */
        KEEP,
        /** Rewritten with a delete horizon. */
        STAMP,
        /** Removed, together with its aborted-transaction index entry. */
        DROP
    }

    private final long now;
    private final long deleteRetentionMs;
    private final long end;
    private final Map<Long, Long> lastBatchOfProducer;
    /** Producers with a transactional data batch read since their last marker. */
    private final Set<Long> withData = new HashSet<>();
    /** Offsets of the markers dropped so far. */
    private final Set<Long> dropped = new HashSet<>();
    private long stamped;

    /**
     * @param now                 the cleaning's time (ms)
     * @param deleteRetentionMs   {@code delete.retention.ms} (ms)
     * @param end                 the cleaning's end offset (exclusive): markers at or above it are kept unchanged
     * @param lastBatchOfProducer per producer id, the base offset of its last batch below {@code end}
     */
    TxnMarkerCleaning(long now, long deleteRetentionMs, long end, Map<Long, Long> lastBatchOfProducer) {
        this.now = now;
        this.deleteRetentionMs = deleteRetentionMs;
        this.end = end;
        this.lastBatchOfProducer = lastBatchOfProducer;
    }

    /** The delete horizon (ms) a batch first found removable at {@code now} gets: now + retention, saturating. */
    static long horizonFrom(long now, long deleteRetentionMs) {
        long h = now + deleteRetentionMs;
        return h < now ? Long.MAX_VALUE : h;
    }

    /** Notes a data batch (any non-control batch) read by the cleaning, before it is filtered. */
    void onDataBatch(RecordBatchHeader h) {
        if (h.isTransactional() && h.hasProducerId()) {
            withData.add(h.producerId());
        }
    }

    /** Decides the fate of the control batch {@code h}, read in offset order after its transaction's batches. */
    Fate onMarker(RecordBatchHeader h) {
        if (h.baseOffset() >= end || !h.hasProducerId()) {
            return Fate.KEEP;
        }
        if (withData.remove(h.producerId())) {
            return Fate.KEEP;
        }
        long horizon = BatchCodec.deleteHorizonMs(h);
        if (horizon < 0) {
            return Fate.STAMP;
        }
        boolean producersLast = Long.valueOf(h.baseOffset()).equals(lastBatchOfProducer.get(h.producerId()));
        if (now < horizon || producersLast) {
            return Fate.KEEP;
        }
        dropped.add(h.baseOffset());
        return Fate.DROP;
    }

    /**
     * The batch to write in place of the control batch {@code batch} (header {@code h}): itself, a copy carrying a
     * delete horizon, or null to drop it.
     *
     * @throws IOException when re-encoding fails
     */
    ByteBuffer filter(ByteBuffer batch, RecordBatchHeader h) throws IOException {
        return switch (onMarker(h)) {
            case KEEP -> batch;
            case DROP -> null;
            case STAMP -> {
                stamped++;
                yield BatchCodec.rebuild(h, BatchCodec.records(batch, h), horizonFrom(now, deleteRetentionMs));
            }
        };
    }

    /** True when the cleaned segment keeps the index entry {@code t}: its abort marker was not dropped. */
    boolean keepsEntry(AbortedTxn t) {
        return !dropped.contains(t.lastOffset());
    }

    /** Markers dropped so far. */
    int droppedCount() {
        return dropped.size();
    }

    /** Markers given a delete horizon so far. */
    long stampedCount() {
        return stamped;
    }
}
