package io.runnel.broker.handler;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ControllerApiException;
import io.runnel.metadata.errors.ErrorCode;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns what the controller client reports into Kafka protocol errors. Per-item codes of controller responses are
 * Kafka's wire values already; a whole request that failed ({@link ControllerApiException}) becomes the same error
 * for every item of the broker's response: NOT_CONTROLLER (41), which kafka-clients' Admin retries after refreshing
 * its metadata, or REQUEST_TIMED_OUT (7) when no controller answered within the controller request timeout.
 */
final class ControllerErrors {
    private ControllerErrors() {
    }

    /** The kafka-clients constant for a wire error code (UNKNOWN_SERVER_ERROR for codes it does not know). */
    static Errors forCode(int code) {
        return Errors.forCode((short) code);
    }

    /** A controller-side error code as kafka-clients' constant. */
    static Errors of(ErrorCode code) {
        return forCode(code.code());
    }

    /** The error and message for a whole controller request that failed with {@code failure}. */
    static ApiError whole(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ControllerApiException e) {
            return e.error();
        }
        return ApiError.of(ErrorCode.UNKNOWN_SERVER_ERROR, "Controller request failed: " + cause);
    }

    /** {@code message}, or null when it is empty (protobuf strings are never null). */
    static String message(String message) {
        return message == null || message.isEmpty() ? null : message;
    }
}
