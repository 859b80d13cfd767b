package io.runnel.log;

/**
 * The answer of a ListOffsets-by-timestamp lookup (KIP-79).
 *
 * @param timestamp   the found record's timestamp (ms)
 * @param offset      its offset
 * @param leaderEpoch the leader epoch of its batch, or -1
 */
public record TimestampLookup(long timestamp, long offset, int leaderEpoch) {
}
