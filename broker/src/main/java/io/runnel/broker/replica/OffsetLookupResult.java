package io.runnel.broker.replica;

import org.apache.kafka.common.protocol.Errors;

/**
 * A ListOffsets answer for one partition.
 *
 * @param error       NONE or the partition's error
 * @param timestamp   the record's timestamp (ms), -1 for EARLIEST/LATEST or when none was found
 * @param offset      the offset, -1 when none was found
 * @param leaderEpoch the leader epoch of that offset's batch (v4+), -1 when unknown
 */
public record OffsetLookupResult(Errors error, long timestamp, long offset, int leaderEpoch) {
    /** No record matched. */
    public static final OffsetLookupResult NOT_FOUND = new OffsetLookupResult(Errors.NONE, -1L, -1L, -1);

    /** A failure. */
    public static OffsetLookupResult error(Errors error) {
        return new OffsetLookupResult(error, -1L, -1L, -1);
    }
}
