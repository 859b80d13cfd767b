package io.runnel.metadata.errors;

/**
 * A controller request failed as a whole: no active controller answered in time (NOT_CONTROLLER, 41;
 * REQUEST_TIMED_OUT, 7), or the metadata log rejected the batch the request became (the replay error's code).
 * Per-item errors (one topic of a CreateTopics, ...) are not exceptions: they are in the response.
 */
public final class ControllerApiException extends RuntimeException {
    private final ApiError error;

    public ControllerApiException(ApiError error) {
        super(error.error() + ": " + error.message());
        this.error = error;
    }

    public ControllerApiException(ErrorCode code, String message) {
        this(ApiError.of(code, message));
    }

    /** The Kafka error code and message. */
    public ApiError error() {
        return error;
    }
}
