package io.runnel.broker.replica;

import io.runnel.broker.record.RecordError;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;

/**
 * The outcome of appending one partition's records of a Produce request.
 *
 * @param error          NONE or the partition's Kafka error
 * @param message        why, for the response's error message (v8+); null on success
 * @param baseOffset     offset of the first record appended (or of the original batch for a duplicate); -1 on error
 * @param lastOffset     offset of the last record; -1 on error
 * @param logAppendTime  the broker timestamp given to the batch with LogAppendTime (ms), else -1
 * @param logStartOffset the log start offset after the append (v5+), -1 on error
 * @param recordErrors   the records that made the batch fail, for the response's {@code record_errors} (v8+,
 *                       KIP-467); empty when none is singled out
 */
public record ProducePartitionResult(Errors error, String message, long baseOffset, long lastOffset,
                                     long logAppendTime, long logStartOffset, List<RecordError> recordErrors) {
    public ProducePartitionResult {
        recordErrors = List.copyOf(recordErrors);
    }

    /** A result without record errors. */
    public ProducePartitionResult(Errors error, String message, long baseOffset, long lastOffset, long logAppendTime,
                                  long logStartOffset) {
        this(error, message, baseOffset, lastOffset, logAppendTime, logStartOffset, List.of());
    }

    /** A failure. */
    public static ProducePartitionResult error(Errors error, String message) {
        return error(error, message, List.of());
    }

    /** A failure blaming single records. */
    public static ProducePartitionResult error(Errors error, String message, List<RecordError> recordErrors) {
        return new ProducePartitionResult(error, message, -1L, -1L, -1L, -1L, recordErrors);
    }

    /** The same result with another error (e.g. REQUEST_TIMED_OUT for an acks=-1 wait that expired). */
    public ProducePartitionResult withError(Errors newError, String newMessage) {
        return new ProducePartitionResult(newError, newMessage, baseOffset, lastOffset, logAppendTime,
                logStartOffset, List.of());
    }
}
