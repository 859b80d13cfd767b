package io.runnel.broker.replica;

import org.apache.kafka.common.protocol.Errors;

/**
 * What DeleteRecords (key 21, KIP-107) answers for one partition.
 *
 * @param error          NONE, or the Kafka error: UNKNOWN_TOPIC_OR_PARTITION (3), NOT_LEADER_OR_FOLLOWER (6),
 *                       OFFSET_OUT_OF_RANGE (1), POLICY_VIOLATION (44), REQUEST_TIMED_OUT (7), KAFKA_STORAGE_ERROR
 *                       (56)
 * @param message        why, for the log and tests; null on success
 * @param requestedOffset the offset records are deleted before (-1 already replaced by the high watermark), or -1
 *                       on error
 * @param lowWatermark   on success the minimum log start offset over the leader and its in-sync followers, at least
 *                       {@code requestedOffset}; -1 on error
 */
public record DeleteRecordsPartitionResult(Errors error, String message, long requestedOffset, long lowWatermark) {
    /** A failed partition. */
    public static DeleteRecordsPartitionResult error(Errors error, String message) {
        return new DeleteRecordsPartitionResult(error, message, -1L, -1L);
    }

    /** The same request, answered with {@code newLowWatermark}. */
    DeleteRecordsPartitionResult withLowWatermark(long newLowWatermark) {
        return new DeleteRecordsPartitionResult(Errors.NONE, null, requestedOffset, newLowWatermark);
    }
}
