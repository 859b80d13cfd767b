package io.runnel.log;

/**
 * A refused log operation, carrying the Kafka error that describes it. When thrown by an append, nothing was
 * appended.
 */
public final class LogException extends RuntimeException {
    private final LogError error;

    /** @param error the Kafka error code; @param message what was wrong, for logs and clients */
    public LogException(LogError error, String message) {
        super(error.name() + ": " + message);
        this.error = error;
    }

    /** @param cause the underlying I/O failure */
    public LogException(LogError error, String message, Throwable cause) {
        super(error.name() + ": " + message, cause);
        this.error = error;
    }

    /** The Kafka error to return to the client. */
    public LogError error() {
        return error;
    }
}
