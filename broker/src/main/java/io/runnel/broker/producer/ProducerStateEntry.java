package io.runnel.broker.producer;

import java.util.ArrayList;
import java.util.List;

/**
 * What a partition knows of one producer id: its current epoch and its last (at most
 * {@link ProducerStateManager#MAX_BATCHES}) batches, oldest first. Immutable; updates return a new entry.
 *
 * @param producerId the id from InitProducerId
 * @param epoch      the newest epoch seen
 * @param batches    the latest batches of that epoch, oldest first
 */
public record ProducerStateEntry(long producerId, short epoch, List<BatchMetadata> batches) {
    public ProducerStateEntry {
        batches = List.copyOf(batches);
    }

    /** The last sequence appended in this epoch, or -1 when none. */
    public int lastSeq() {
        return batches.isEmpty() ? -1 : batches.get(batches.size() - 1).lastSeq();
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
     * The entry after appending {@code batch} at {@code batchEpoch}: a newer epoch forgets the older epoch's batches;
     * only the newest {@link ProducerStateManager#MAX_BATCHES} are kept.
     */
    public ProducerStateEntry with(short batchEpoch, BatchMetadata batch) {
        List<BatchMetadata> next = new ArrayList<>(batchEpoch == epoch ? batches : List.of());
        next.add(batch);
        while (next.size() > ProducerStateManager.MAX_BATCHES) {
            next.remove(0);
        }
        return new ProducerStateEntry(producerId, batchEpoch, next);
    }
}
