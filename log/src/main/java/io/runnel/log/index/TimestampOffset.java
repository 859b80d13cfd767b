package io.runnel.log.index;

/**
 * A time-index entry: every record up to and including {@code offset} has a timestamp of at most {@code timestamp}.
 *
 * @param timestamp ms since the epoch
 * @param offset    absolute offset
 */
public record TimestampOffset(long timestamp, long offset) {
}
