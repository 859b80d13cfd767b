package io.runnel.metadata.errors;

import java.util.Objects;

/**
 * An error code with a human-readable message, as Kafka responses carry them ({@code ErrorCode} + {@code
 * ErrorMessage} fields). {@link #NONE} is success.
 */
public record ApiError(ErrorCode error, String message) {
    public static final ApiError NONE = new ApiError(ErrorCode.NONE, null);

    public ApiError {
        Objects.requireNonNull(error, "error");
    }

    public static ApiError of(ErrorCode error, String message) {
        return new ApiError(error, message);
    }

    public boolean isSuccess() {
        return error == ErrorCode.NONE;
    }
}
