package io.runnel.broker.group;

import java.util.Objects;

/**
 * One partition's position in an OffsetCommit (API key 8).
 *
 * @param offset      the next offset to consume
 * @param leaderEpoch the leader epoch of the last consumed record (KIP-320, v6+), -1 when unknown
 * @param metadata    the client's string ({@code ""} for null); longer than {@code offset.metadata.max.bytes} gets
 *                    OFFSET_METADATA_TOO_LARGE (12)
 */
public record OffsetToCommit(long offset, int leaderEpoch, String metadata) {
    public OffsetToCommit {
        metadata = Objects.requireNonNullElse(metadata, "");
    }
}
