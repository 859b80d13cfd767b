package io.runnel.broker.producer;

import org.apache.kafka.common.protocol.Errors;

/**
 * The verdict on an idempotent producer's batch before it is appended (DESIGN.md section 3, KIP-98, KIP-360).
 *
 * @param outcome   accept, duplicate or reject
 * @param duplicate for a duplicate, the batch appended before (its offsets are the answer)
 * @param error     for a rejection, INVALID_PRODUCER_EPOCH (47) or OUT_OF_ORDER_SEQUENCE_NUMBER (45)
 * @param message   for a rejection, why
 */
public record SequenceCheck(Outcome outcome, BatchMetadata duplicate, Errors error, String message) {
    /** What to do with the batch. */
    public enum Outcome {
        /** Append it. */
        ACCEPT,
        /** Append nothing; answer success with the original offsets. */
        DUPLICATE,
        /** Append nothing; answer the error. */
        REJECT
    }

    /** Append the batch. */
    public static final SequenceCheck ACCEPT = new SequenceCheck(Outcome.ACCEPT, null, Errors.NONE, null);

    /** A duplicate of {@code original}. */
    public static SequenceCheck duplicate(BatchMetadata original) {
        return new SequenceCheck(Outcome.DUPLICATE, original, Errors.NONE, null);
    }

    /** A rejection. */
    public static SequenceCheck reject(Errors error, String message) {
        return new SequenceCheck(Outcome.REJECT, null, error, message);
    }
}
