package io.runnel.broker.record;

import org.apache.kafka.common.protocol.Errors;

import java.util.List;

/**
 * A produced batch refused before anything was appended, with the Kafka error for the partition response
 * (CORRUPT_MESSAGE, INVALID_RECORD, MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_TIMESTAMP) and, when single
 * records are to blame, which ({@link RecordError}, KIP-467).
 */
public final class RecordValidationException extends RuntimeException {
    private final transient Errors error;
    private final transient List<RecordError> recordErrors;

    /** @param error the partition's error code; @param message why, for the response's error message */
    public RecordValidationException(Errors error, String message) {
        this(error, message, List.of());
    }

    /** As {@link #RecordValidationException(Errors, String)}, naming the records to blame. */
    public RecordValidationException(Errors error, String message, List<RecordError> recordErrors) {
        super(message);
        this.error = error;
        this.recordErrors = List.copyOf(recordErrors);
    }

    /** The Kafka error. */
    public Errors error() {
        return error;
    }

    /** The records to blame, in batch order; empty when the batch as a whole is refused. */
    public List<RecordError> recordErrors() {
        return recordErrors;
    }
}
