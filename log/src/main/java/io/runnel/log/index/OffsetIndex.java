package io.runnel.log.index;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The sparse offset index of one segment ({@code .index} file), Kafka's format: 8-byte entries of
 * {@code relativeOffset i32, position i32}, big-endian, where relativeOffset = batch last offset - segment base
 * offset. One entry is added every {@code index.interval.bytes} of appended batches. Thread model: see
 * {@link MappedIndex}.
 */
public final class OffsetIndex extends MappedIndex {
    /** Bytes per entry. */
    public static final int ENTRY_SIZE = 8;

    /** @see MappedIndex#MappedIndex(Path, long, int, int, boolean) */
    public OffsetIndex(Path file, long baseOffset, int maxIndexBytes, boolean writable) {
        super(file, baseOffset, ENTRY_SIZE, maxIndexBytes, writable);
    }

    /**
     * Appends an entry (writer only).
     *
     * @param offset   the absolute last offset of the batch at {@code position}; must exceed the last entry's
     * @param position byte position of the batch in the log file
     * @throws IllegalStateException if the index is full or the offset does not increase
     */
    public void append(long offset, int position) {
        if (isFull()) {
            throw new IllegalStateException("offset index " + file() + " is full");
        }
        int n = entries();
        if (n > 0 && offset <= entryAt(n - 1).offset()) {
            throw new IllegalStateException("offset " + offset + " does not follow the last entry of " + file());
        }
        MappedByteBuffer buf = buffer();
        buf.putInt(positionOf(n), (int) (offset - baseOffset()));
        buf.putInt(positionOf(n) + 4, position);
        publishAppend();
    }

    /** Entry {@code n}, 0-based. */
    public OffsetPosition entryAt(int n) {
        MappedByteBuffer buf = buffer();
        return new OffsetPosition(baseOffset() + buf.getInt(positionOf(n)), buf.getInt(positionOf(n) + 4));
    }

    /**
     * The entry with the largest offset at most {@code targetOffset}, or {@code (baseOffset, 0)} when there is none:
     * a batch holding {@code targetOffset} starts at or after the returned position.
     */
    public OffsetPosition lookup(long targetOffset) {
        int found = lastWhere(n -> entryOffset(n) <= targetOffset);
        return found < 0 ? new OffsetPosition(baseOffset(), 0) : entryAt(found);
    }

    /**
     * The entry with the largest position at most {@code position}, or {@code (baseOffset, 0)} when there is none:
     * a batch boundary at or before that byte.
     */
    public OffsetPosition floorByPosition(int position) {
        int found = lastWhere(n -> buffer().getInt(positionOf(n) + 4) <= position);
        return found < 0 ? new OffsetPosition(baseOffset(), 0) : entryAt(found);
    }

    @Override
    protected long entryOffset(int n) {
        return baseOffset() + buffer().getInt(positionOf(n));
    }

    @Override
    public String sanityCheck(long logSizeBytes) {
        long prevOffset = -1;
        int prevPosition = -1;
        for (int i = 0; i < entries(); i++) {
            OffsetPosition e = entryAt(i);
            if (e.offset() < baseOffset() || e.offset() <= prevOffset || e.position() <= prevPosition
                    || e.position() >= logSizeBytes) {
                return "entry " + i + " " + e + " is out of order or past the log's " + logSizeBytes + " bytes";
            }
            prevOffset = e.offset();
            prevPosition = e.position();
        }
        return null;
    }
}
