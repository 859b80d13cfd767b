package io.runnel.metadata.image;

import java.util.Objects;

/**
 * A consumer group's committed position in one partition: the next offset to read, the leader epoch of the record
 * before it (-1 when unknown, KIP-320), the client's metadata string, and the commit time in epoch milliseconds.
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {
    public CommittedOffset {
        Objects.requireNonNull(metadata, "metadata");
    }
}
