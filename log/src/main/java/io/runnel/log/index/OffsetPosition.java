package io.runnel.log.index;

/**
 * An offset-index entry: the batch that starts at byte {@code position} of the segment file ends at {@code offset}.
 *
 * @param offset   absolute offset (the last offset of the indexed batch)
 * @param position byte position of that batch in the segment's log file
 */
public record OffsetPosition(long offset, int position) {
}
