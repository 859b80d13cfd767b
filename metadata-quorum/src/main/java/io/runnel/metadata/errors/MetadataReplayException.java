package io.runnel.metadata.errors;

/**
 * A metadata record is not valid against the image it is replayed onto (unknown topic id, stale broker epoch, ...).
 * Replay rejects the whole batch holding that record; the state machine reports the error in its reply and keeps
 * the previous image. Deterministic: every node rejects the same batch.
 */
public final class MetadataReplayException extends RuntimeException {
    private final ErrorCode error;

    public MetadataReplayException(ErrorCode error, String message) {
        super(message);
        this.error = error;
    }

    /** The Kafka error code describing the rejection. */
    public ErrorCode error() {
        return error;
    }

    public ApiError toApiError() {
        return ApiError.of(error, getMessage());
    }
}
