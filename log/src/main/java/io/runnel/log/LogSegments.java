package io.runnel.log;

import io.runnel.log.record.TimestampScanner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The segments of one log by base offset, with the operations that span several of them. The map is concurrent so
 * readers walk it without a lock while the single writer adds and removes segments.
 */
final class LogSegments {
    private final ConcurrentSkipListMap<Long, LogSegment> byBase = new ConcurrentSkipListMap<>();

    void add(LogSegment segment) {
        byBase.put(segment.baseOffset(), segment);
    }

    /** The segment appends go to: the one with the highest base offset. */
    LogSegment active() {
        return byBase.lastEntry().getValue();
    }

    NavigableMap<Long, LogSegment> asMap() {
        return byBase;
    }

    int count() {
        return byBase.size();
    }

    long firstBaseOffset() {
        return byBase.firstKey();
    }

    List<Long> baseOffsets() {
        return new ArrayList<>(byBase.keySet());
    }

    long sizeInBytes() {
        long total = 0;
        for (LogSegment s : byBase.values()) {
            total += s.size();
        }
        return total;
    }

    /**
     * Puts {@code fresh} in the place of {@code old} (consecutive, the first with fresh's base offset): the new
     * segment goes in first and the rest of the old ones leave after, so a reader walking the map never skips offsets.
     */
    void replace(List<LogSegment> old, LogSegment fresh) {
        byBase.put(fresh.baseOffset(), fresh);
        for (LogSegment s : old) {
            if (s.baseOffset() != fresh.baseOffset()) {
                byBase.remove(s.baseOffset(), s);
            }
        }
    }

    /** Removes the segments whose base offset is at least {@code offset} and deletes them after the delay. */
    void deleteFrom(long offset, long delayMs) throws IOException {
        delete(new ArrayList<>(byBase.tailMap(offset, true).values()), delayMs);
    }

    /** Removes {@code doomed} and deletes them after the delay ({@link SegmentDeleter}). */
    void delete(List<LogSegment> doomed, long delayMs) throws IOException {
        for (LogSegment s : doomed) {
            byBase.remove(s.baseOffset());
            SegmentDeleter.delete(s, delayMs);
        }
    }

    /** See {@link PartitionLog#read(long, int, long, boolean)}; {@code startOffset} is known to be in the log. */
    FileSlice read(long startOffset, int maxBytes, long maxOffset, boolean minOneBatch) throws IOException {
        Map.Entry<Long, LogSegment> e = byBase.floorEntry(startOffset);
        while (e != null) {
            FileSlice slice = e.getValue().read(startOffset, maxBytes, maxOffset, minOneBatch);
            if (slice != null) {
                return slice;
            }
            e = byBase.higherEntry(e.getKey());
        }
        return FileSlice.EMPTY;
    }

    /** The first record at or after {@code timestamp} whose offset is at least {@code minOffset}, or null. */
    TimestampLookup offsetForTimestamp(long timestamp, long minOffset, TimestampScanner scanner) throws IOException {
        for (LogSegment s : byBase.values()) {
            if (s.nextOffset() <= minOffset) {
                continue;
            }
            TimestampLookup found = s.findOffsetByTimestamp(timestamp, minOffset, scanner);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /**
     * The segment the next append of {@code incomingBytes} ending at {@code lastOffset} goes to: the active one, or a
     * new one starting at {@code nextOffset} when the active one would pass {@code segment.bytes}, is older than
     * {@code segment.ms} (counted from its first batch's timestamp, as Kafka), has a full index, or could not hold
     * the offsets relative to its base in 32 bits. The rolled segment is trimmed and fsynced.
     *
     * @return the segment to append to; {@code rolled} tells whether it is new
     */
    Roll rollIfNeeded(Path dir, LogConfig config, long nowMs, int incomingBytes, long lastOffset, long nextOffset)
            throws IOException {
        LogSegment active = active();
        boolean full = active.size() > 0 && (long) active.size() + incomingBytes > config.segmentBytes();
        boolean old = active.size() > 0 && nowMs - active.rollingBasedTimestamp() > config.segmentMs();
        boolean offsetOverflow = lastOffset - active.baseOffset() > Integer.MAX_VALUE;
        if (!(full || old || offsetOverflow || active.indexFull())) {
            return new Roll(active, false);
        }
        active.onBecomeInactive();
        LogSegment next = new LogSegment(dir, nextOffset, config, true, nowMs);
        add(next);
        return new Roll(next, true);
    }

    /** The outcome of {@link #rollIfNeeded}. */
    record Roll(LogSegment segment, boolean rolled) {
    }

    /** Fsyncs the segment holding {@code offset} and every later one. */
    void flushFrom(long offset) throws IOException {
        Long from = byBase.floorKey(offset);
        for (LogSegment s : byBase.tailMap(from == null ? byBase.firstKey() : from, true).values()) {
            s.flush();
        }
    }

    void closeAll() throws IOException {
        for (LogSegment s : byBase.values()) {
            s.close();
        }
    }
}
