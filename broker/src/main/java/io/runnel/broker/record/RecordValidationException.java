package io.runnel.broker.record;

import org.apache.kafka.common.protocol.Errors;

/**
 * A produced batch refused before anything was appended, with the Kafka error for the partition response
 * (CORRUPT_MESSAGE, INVALID_RECORD, MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_TIMESTAMP).
 */
public final class RecordValidationException extends RuntimeException {
    private final transient Errors error;

    /** @param error the partition's error code; @param message why, for the response's error message */
    public RecordValidationException(Errors error, String message) {
        super(message);
        this.error = error;
    }

    /** The Kafka error. */
    public Errors error() {
        return error;
    }
}
