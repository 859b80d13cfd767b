package io.runnel.broker.producer;

import io.runnel.log.record.RecordBatchHeader;
import org.apache.kafka.common.protocol.Errors;

import java.util.HashMap;
import java.util.Map;

/**
 * Idempotent-producer state of one partition (DESIGN.md section 3; KIP-98, KIP-360), per producer id:
 * <ul>
 *   <li>an epoch below the known one: INVALID_PRODUCER_EPOCH (47);</li>
 *   <li>a newer epoch must start at sequence 0, else OUT_OF_ORDER_SEQUENCE_NUMBER (45);</li>
 *   <li>within the epoch, a batch with the same first and last sequence as one of the last {@link #MAX_BATCHES}
 *       is a duplicate: success with the original offsets, nothing appended;</li>
 *   <li>otherwise its first sequence must follow the last one (wrapping from {@code Integer.MAX_VALUE} to 0), else
 *       OUT_OF_ORDER_SEQUENCE_NUMBER;</li>
 *   <li>an unknown producer id is accepted at any sequence, as Kafka does (its state may have been removed with old
 *       segments).</li>
 * </ul>
 * Rebuilt from the log's batch headers when a partition is opened ({@link #replay}).
 *
 * <p>Not thread-safe: the owning partition calls it under its append lock.
 */
public final class ProducerStateManager {
    /** Batches remembered per producer, as Kafka's producers keep at most 5 in flight. */
    public static final int MAX_BATCHES = 5;
    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();

    /** Checks a batch about to be appended; batches without a producer id are always accepted. */
    public SequenceCheck check(RecordBatchHeader batch) {
        if (!batch.hasProducerId()) {
            return SequenceCheck.ACCEPT;
        }
        ProducerStateEntry entry = producers.get(batch.producerId());
        if (entry == null) {
            return SequenceCheck.ACCEPT;
        }
        short epoch = batch.producerEpoch();
        if (epoch < entry.epoch()) {
            return SequenceCheck.reject(Errors.INVALID_PRODUCER_EPOCH, "producer " + batch.producerId()
                    + " epoch " + epoch + " is older than the current epoch " + entry.epoch());
        }
        int firstSeq = batch.baseSequence();
        if (epoch > entry.epoch()) {
            return firstSeq == 0 ? SequenceCheck.ACCEPT : SequenceCheck.reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER,
                    "producer " + batch.producerId() + " starts epoch " + epoch + " at sequence " + firstSeq
                            + ", not 0");
        }
        BatchMetadata duplicate = entry.find(firstSeq, batch.lastSequence());
        if (duplicate != null) {
            return SequenceCheck.duplicate(duplicate);
        }
        int last = entry.lastSeq();
        if (last >= 0 && firstSeq != nextSequence(last)) {
            return SequenceCheck.reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "producer " + batch.producerId()
                    + " epoch " + epoch + " sent sequence " + firstSeq + " after " + last);
        }
        return SequenceCheck.ACCEPT;
    }

    /** The sequence following {@code seq}, wrapping to 0 after {@code Integer.MAX_VALUE}. */
    public static int nextSequence(int seq) {
        return seq == Integer.MAX_VALUE ? 0 : seq + 1;
    }

    /**
     * Records an appended batch (its header carries the final offsets). Used after a leader append and when
     * replaying the log; batches without a producer id are ignored.
     */
    public void replay(RecordBatchHeader appended) {
        if (!appended.hasProducerId()) {
            return;
        }
        BatchMetadata meta = new BatchMetadata(appended.baseSequence(), appended.lastSequence(),
                appended.baseOffset(), appended.lastOffset(), appended.maxTimestamp());
        producers.compute(appended.producerId(), (id, entry) -> {
            if (entry == null) {
                return new ProducerStateEntry(id, appended.producerEpoch(), java.util.List.of(meta));
            }
            if (appended.producerEpoch() < entry.epoch()) {
                return entry; // a fenced epoch's batch in the log: the newer epoch stays current
            }
            return entry.with(appended.producerEpoch(), meta);
        });
    }

    /** The state of {@code producerId}, or null. */
    public ProducerStateEntry entry(long producerId) {
        return producers.get(producerId);
    }

    /** Producer ids known. */
    public int producerCount() {
        return producers.size();
    }

    /** Forgets everything (before a rebuild). */
    public void clear() {
        producers.clear();
    }
}
