package io.runnel.log.index;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The sparse time index of one segment ({@code .timeindex} file), Kafka's format (KIP-33): 12-byte entries of
 * {@code timestamp i64, relativeOffset i32}, big-endian. An entry {@code (T, O)} says: T is the largest timestamp of
 * the segment's records up to offset O, and the batch holding T ends at O. Timestamps and offsets both strictly
 * increase. Thread model: see {@link MappedIndex}.
 */
public final class TimeIndex extends MappedIndex {
    /** Bytes per entry. */
    public static final int ENTRY_SIZE = 12;

    /** @see MappedIndex#MappedIndex(Path, long, int, int, boolean) */
    public TimeIndex(Path file, long baseOffset, int maxIndexBytes, boolean writable) {
        super(file, baseOffset, ENTRY_SIZE, maxIndexBytes, writable);
    }

    /**
     * Appends {@code (timestamp, offset)} if the timestamp exceeds the last entry's, else does nothing (writer only).
     *
     * @param timestamp ms since the epoch: the largest timestamp so far in the segment
     * @param offset    absolute offset of the batch holding it
     * @throws IllegalStateException if the index is full or the offset goes backwards
     */
    public void maybeAppend(long timestamp, long offset) {
        int n = entries();
        TimestampOffset last = n == 0 ? null : entryAt(n - 1);
        if (last != null && (timestamp <= last.timestamp() || offset <= last.offset())) {
            if (offset < last.offset()) {
                throw new IllegalStateException("offset " + offset + " goes backwards in " + file());
            }
            return;
        }
        if (isFull()) {
            throw new IllegalStateException("time index " + file() + " is full");
        }
        MappedByteBuffer buf = buffer();
        buf.putLong(positionOf(n), timestamp);
        buf.putInt(positionOf(n) + 8, (int) (offset - baseOffset()));
        publishAppend();
    }

    /** Entry {@code n}, 0-based. */
    public TimestampOffset entryAt(int n) {
        MappedByteBuffer buf = buffer();
        return new TimestampOffset(buf.getLong(positionOf(n)), baseOffset() + buf.getInt(positionOf(n) + 8));
    }

    /** The last entry, or null when empty. */
    public TimestampOffset lastEntry() {
        int n = entries();
        return n == 0 ? null : entryAt(n - 1);
    }

    /**
     * The entry with the largest timestamp strictly below {@code targetTimestamp}, or null when there is none.
     * Every record up to its offset is older than the target, so the first record at or after the target lies in a
     * later batch.
     */
    public TimestampOffset lookupBefore(long targetTimestamp) {
        int found = lastWhere(n -> buffer().getLong(positionOf(n)) < targetTimestamp);
        return found < 0 ? null : entryAt(found);
    }

    @Override
    protected long entryOffset(int n) {
        return baseOffset() + buffer().getInt(positionOf(n) + 8);
    }

    @Override
    public String sanityCheck(long logSizeBytes) {
        long prevTs = Long.MIN_VALUE;
        long prevOffset = -1;
        for (int i = 0; i < entries(); i++) {
            TimestampOffset e = entryAt(i);
            if (e.offset() < baseOffset() || e.offset() <= prevOffset || e.timestamp() <= prevTs) {
                return "entry " + i + " " + e + " is out of order";
            }
            prevTs = e.timestamp();
            prevOffset = e.offset();
        }
        return null;
    }
}
