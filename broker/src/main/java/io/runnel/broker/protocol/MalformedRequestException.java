package io.runnel.broker.protocol;

/**
 * A frame that cannot be served: bytes that do not parse, an API key Runnel does not know or offer, or a version
 * outside the advertised range (other than ApiVersions). The connection that sent it is closed, as Kafka does.
 */
public final class MalformedRequestException extends RuntimeException {
    /** @param message what was wrong, for the log line */
    public MalformedRequestException(String message) {
        super(message);
    }

    /** @param cause the parse failure */
    public MalformedRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
