package io.runnel.log;

/**
 * The Kafka error codes the log can raise (Kafka protocol guide, "Error Codes"). The broker returns {@link #code()}
 * to clients unchanged.
 */
public enum LogError {
    /** -1: an unexpected failure; also a follower append that does not continue the log. */
    UNKNOWN_SERVER_ERROR(-1),
    /** 1: the requested offset is below the log start offset or above the log end offset. */
    OFFSET_OUT_OF_RANGE(1),
    /** 2: bad magic, bad CRC, cut-short batch or malformed header. */
    CORRUPT_MESSAGE(2),
    /** 10: one batch is larger than {@code max.message.bytes}. */
    MESSAGE_TOO_LARGE(10),
    /** 18: one append is larger than {@code segment.bytes}. */
    RECORD_LIST_TOO_LARGE(18),
    /** 56: the disk failed under the log (an IOException). */
    KAFKA_STORAGE_ERROR(56),
    /** 87: a well-formed batch breaking a rule (e.g. its record count does not match its offset range). */
    INVALID_RECORD(87);

    private final short code;

    LogError(int code) {
        this.code = (short) code;
    }

    /** The numeric Kafka error code. */
    public short code() {
        return code;
    }
}
