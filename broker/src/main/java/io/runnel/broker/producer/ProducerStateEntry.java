package io.runnel.broker.producer;

import java.util.ArrayList;
import java.util.List;

/**
 * What a partition knows of one producer id: its current epoch, its last (at most
 * {@link ProducerStateManager#MAX_BATCHES}) batches, oldest first, and its transaction on this partition (KIP-98).
 * Immutable; updates return a new entry.
 *
 * @param producerId            the id from InitProducerId
 * @param epoch                 the newest epoch seen (from data batches or transaction markers)
 * @param batches               the latest data batches of that epoch, oldest first
 * @param currentTxnFirstOffset offset of the first batch of the producer's open transaction here, or -1 when none
 * @param coordinatorEpoch      the coordinator epoch of the last transaction marker applied, or -1 when none
 * @param lastTimestamp         max timestamp of the last batch or marker (ms), or -1
 */
public record ProducerStateEntry(long producerId, short epoch, List<BatchMetadata> batches,
                                 long currentTxnFirstOffset, int coordinatorEpoch, long lastTimestamp) {
    public ProducerStateEntry {
        batches = List.copyOf(batches);
    }

    /** A producer first seen through {@code batch} at {@code epoch}, outside any transaction. */
    static ProducerStateEntry first(long producerId, short epoch, BatchMetadata batch) {
        return new ProducerStateEntry(producerId, epoch, List.of(batch), -1L, -1, batch.timestamp());
    }

    /** The last sequence appended in this epoch, or -1 when none. */
    public int lastSeq() {
        return batches.isEmpty() ? -1 : batches.get(batches.size() - 1).lastSeq();
    }

    /** True while a transaction of this producer is open on the partition. */
    public boolean inTransaction() {
        return currentTxnFirstOffset >= 0;
    }

    /** The remembered batch with exactly these sequences, or null. */
    public BatchMetadata find(int firstSeq, int lastSeq) {
        for (BatchMetadata b : batches) {
            if (b.firstSeq() == firstSeq && b.lastSeq() == lastSeq) {
                return b;
            }
        }
        return null;
    }

    /**
     * The entry after appending data {@code batch} at {@code batchEpoch}: a newer epoch forgets the older epoch's
     * batches; only the newest {@link ProducerStateManager#MAX_BATCHES} are kept. A transactional batch opens a
     * transaction at its first offset when none is open.
     */
    public ProducerStateEntry with(short batchEpoch, BatchMetadata batch, boolean transactional) {
        List<BatchMetadata> next = new ArrayList<>(batchEpoch == epoch ? batches : List.of());
        next.add(batch);
        while (next.size() > ProducerStateManager.MAX_BATCHES) {
            next.remove(0);
        }
        long txnFirst = transactional && currentTxnFirstOffset < 0 ? batch.firstOffset() : currentTxnFirstOffset;
        return new ProducerStateEntry(producerId, batchEpoch, next, txnFirst, coordinatorEpoch, batch.timestamp());
    }

    /**
     * The entry after a transaction marker of {@code markerEpoch} and {@code markerCoordinatorEpoch}: the transaction
     * is closed, and a newer epoch (a coordinator's fencing abort) becomes current and forgets the batches.
     */
    public ProducerStateEntry afterMarker(short markerEpoch, int markerCoordinatorEpoch, long timestamp) {
        List<BatchMetadata> kept = markerEpoch == epoch ? batches : List.of();
        return new ProducerStateEntry(producerId, (short) Math.max(epoch, markerEpoch), kept, -1L,
                Math.max(coordinatorEpoch, markerCoordinatorEpoch), timestamp);
    }
}
