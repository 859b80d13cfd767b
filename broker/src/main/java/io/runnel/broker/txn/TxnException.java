package io.runnel.broker.txn;

import org.apache.kafka.common.protocol.Errors;

/** A transaction coordinator step that failed with a Kafka error code for the client. */
final class TxnException extends RuntimeException {
    private final Errors error;

    TxnException(Errors error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    Errors error() {
        return error;
    }
}
