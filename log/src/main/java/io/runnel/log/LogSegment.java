package io.runnel.log;

import io.runnel.log.index.OffsetIndex;
import io.runnel.log.index.OffsetPosition;
import io.runnel.log.index.TimeIndex;
import io.runnel.log.index.TimestampOffset;
import io.runnel.log.index.TransactionIndex;
import io.runnel.log.record.BatchReader;
import io.runnel.log.record.RecordBatchHeader;
import io.runnel.log.record.TimestampScanner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One segment of a partition log: {@code <baseOffset>.log} with its {@code .index}, {@code .timeindex} and, once it
 * holds an entry, {@code .txnindex} ({@link TransactionIndex}), named by the 20-digit zero-padded base offset as in
 * Kafka.
 *
 * <p>Thread model: one writer at a time (append, truncate, recover, roll), guarded by the owning
 * {@link PartitionLog}; any number of concurrent readers. Readers bound themselves by the size they read first, and
 * the writer publishes data before it publishes the new size.
 */
public final class LogSegment {
    private final long baseOffset;
    private final Path logFile;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final TransactionIndex txnIndex;
    private final int indexIntervalBytes;
    private final long createdMs;
    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestampSoFar = RecordBatchHeader.NO_TIMESTAMP;
    private long offsetOfMaxTimestampSoFar;
    private volatile long firstBatchTimestamp = RecordBatchHeader.NO_TIMESTAMP;
    private int bytesSinceLastIndexEntry;

    LogSegment(Path dir, long baseOffset, LogConfig config, boolean active, long nowMs) throws IOException {
        this.baseOffset = baseOffset;
        this.logFile = dir.resolve(fileName(baseOffset, ".log"));
        this.channel = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        this.offsetIndex = new OffsetIndex(dir.resolve(fileName(baseOffset, ".index")), baseOffset,
                config.segmentIndexBytes(), active);
        this.timeIndex = new TimeIndex(dir.resolve(fileName(baseOffset, ".timeindex")), baseOffset,
                config.segmentIndexBytes(), active);
        this.txnIndex = new TransactionIndex(dir.resolve(fileName(baseOffset, LogFiles.TXN_INDEX_SUFFIX)));
        this.indexIntervalBytes = config.indexIntervalBytes();
        this.createdMs = nowMs;
        this.size = (int) Math.min(Integer.MAX_VALUE, channel.size());
        this.nextOffset = baseOffset;
    }

    /** {@code 00000000000000000042.log}-style name for a base offset and a suffix. */
    public static String fileName(long baseOffset, String suffix) {
        return String.format("%020d%s", baseOffset, suffix);
    }

    /** The offset of the segment's first batch (or of the next one, if empty). */
    public long baseOffset() {
        return baseOffset;
    }

    /** The offset after the segment's last batch; {@link #baseOffset()} when empty. */
    public long nextOffset() {
        return nextOffset;
    }

    /** Bytes of batches in the file. */
    public int size() {
        return size;
    }

    /** The {@code .log} file. */
    public Path logFile() {
        return logFile;
    }

    OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    TimeIndex timeIndex() {
        return timeIndex;
    }

    /** The aborted transactions whose markers lie in this segment. */
    TransactionIndex txnIndex() {
        return txnIndex;
    }

    FileChannel channel() {
        return channel;
    }

    /** True when an index has no room for another entry. */
    boolean indexFull() {
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    /**
     * The newest record timestamp in the segment (ms), or the file's modification time when no batch carries one:
     * what {@code retention.ms} compares against, as in Kafka.
     */
    public long largestTimestamp() throws IOException {
        long ts = maxTimestampSoFar;
        return ts >= 0 ? ts : Files.getLastModifiedTime(logFile).toMillis();
    }

    /** The time {@code segment.ms} counts from: the first batch's timestamp, else when the segment was opened. */
    long rollingBasedTimestamp() {
        long ts = firstBatchTimestamp;
        return ts >= 0 ? ts : createdMs;
    }

    /**
     * Appends validated batches whose offsets are already assigned (writer only).
     *
     * @param records the batches, position to limit; left fully consumed
     * @param headers their headers, in order, with {@code positions} their byte positions within {@code records}
     */
    void append(ByteBuffer records, List<RecordBatchHeader> headers, int[] positions) throws IOException {
        int start = size;
        int length = records.remaining();
        long at = start;
        while (records.hasRemaining()) {
            at += channel.write(records, at);
        }
        for (int i = 0; i < headers.size(); i++) {
            indexBatch(headers.get(i), start + positions[i]);
        }
        size = start + length;
        nextOffset = headers.get(headers.size() - 1).nextOffset();
    }

    private void indexBatch(RecordBatchHeader h, int position) {
        if (firstBatchTimestamp < 0 && position == 0) {
            firstBatchTimestamp = h.maxTimestamp();
        }
        if (h.maxTimestamp() > maxTimestampSoFar) {
            maxTimestampSoFar = h.maxTimestamp();
            offsetOfMaxTimestampSoFar = h.lastOffset();
        }
        // a full index just stops growing: lookups scan forward from the last entry, so entries are hints
        if (bytesSinceLastIndexEntry > indexIntervalBytes && !offsetIndex.isFull()) {
            offsetIndex.append(h.lastOffset(), position);
            if (maxTimestampSoFar >= 0 && !timeIndex.isFull()) {
                timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
            }
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += h.sizeInBytes();
    }

    /**
     * The first batch whose last offset is at least {@code offset}, searching from the offset index's hint, within
     * the first {@code limit} bytes; null if there is none.
     */
    BatchPosition findBatch(long offset, BatchReader reader, int limit) throws IOException {
        int pos = offsetIndex.lookup(offset).position();
        while (pos < limit) {
            RecordBatchHeader h = reader.headerAt(pos);
            if (h == null) {
                return null;
            }
            if (h.lastOffset() >= offset) {
                return new BatchPosition(pos, h);
            }
            pos += h.sizeInBytes();
        }
        return null;
    }

    /**
     * Reads whole batches from the one holding {@code startOffset}.
     *
     * @param maxBytes    bytes the slice may hold
     * @param maxOffset   first offset to hide (exclusive upper bound, e.g. the high watermark)
     * @param minOneBatch return the first batch even when it is larger than {@code maxBytes} (KIP-74)
     * @return the slice, empty when the first batch is hidden or too large; null when no batch of this segment
     *         reaches {@code startOffset}
     */
    FileSlice read(long startOffset, int maxBytes, long maxOffset, boolean minOneBatch) throws IOException {
        int limit = size;
        BatchReader reader = new BatchReader(channel, limit);
        BatchPosition start = findBatch(startOffset, reader, limit);
        if (start == null) {
            return null;
        }
        int end = limit;
        if (maxOffset < nextOffset) {
            BatchPosition hidden = findBatch(maxOffset, reader, limit);
            end = hidden == null ? limit : hidden.position();
        }
        if (start.position() >= end) {
            return new FileSlice(channel, start.position(), 0);
        }
        long budgetEnd = (long) start.position() + maxBytes;
        if (end <= budgetEnd) {
            return new FileSlice(channel, start.position(), end - start.position());
        }
        int boundary = Math.max(start.position(), offsetIndex.floorByPosition((int) budgetEnd).position());
        while (boundary < end) {
            RecordBatchHeader h = reader.headerAt(boundary);
            if (h == null || boundary + h.sizeInBytes() > budgetEnd) {
                break;
            }
            boundary += h.sizeInBytes();
        }
        int length = boundary - start.position();
        if (length == 0 && minOneBatch) {
            length = start.header().sizeInBytes();
        }
        return new FileSlice(channel, start.position(), length);
    }

    /**
     * The first record at or after {@code targetTimestamp} and at or after offset {@code minOffset} in this segment,
     * with the leader epoch of its batch; null if there is none.
     */
    TimestampLookup findOffsetByTimestamp(long targetTimestamp, long minOffset, TimestampScanner scanner)
            throws IOException {
        if (maxTimestampSoFar < targetTimestamp) {
            return null;
        }
        int limit = size;
        BatchReader reader = new BatchReader(channel, limit);
        TimestampOffset before = timeIndex.lookupBefore(targetTimestamp);
        int pos = offsetIndex.lookup(Math.max(minOffset, before == null ? baseOffset : before.offset())).position();
        while (pos < limit) {
            RecordBatchHeader h = reader.headerAt(pos);
            if (h == null) {
                return null;
            }
            if (h.maxTimestamp() >= targetTimestamp && h.lastOffset() >= minOffset) {
                TimestampOffset found = scanner.firstAtOrAfter(reader.readFully(pos, h.sizeInBytes()), h,
                        targetTimestamp, minOffset);
                if (found != null) {
                    return new TimestampLookup(found.timestamp(), found.offset(), h.partitionLeaderEpoch());
                }
            }
            pos += h.sizeInBytes();
        }
        return null;
    }

    /**
     * Removes every batch from the one holding {@code offset} on (writer only).
     *
     * @return bytes removed
     */
    int truncateTo(long offset) throws IOException {
        txnIndex.truncateTo(offset);
        int limit = size;
        BatchReader reader = new BatchReader(channel, limit);
        BatchPosition cut = findBatch(offset, reader, limit);
        if (cut == null) {
            return 0;
        }
        offsetIndex.truncateTo(offset);
        timeIndex.truncateTo(offset);
        size = cut.position();
        channel.truncate(cut.position());
        nextOffset = cut.position() == 0 ? baseOffset : cut.header().baseOffset();
        if (cut.position() == 0) {
            firstBatchTimestamp = RecordBatchHeader.NO_TIMESTAMP;
        }
        bytesSinceLastIndexEntry = 0;
        loadTail();
        return limit - cut.position();
    }

    /**
     * Recomputes {@link #nextOffset()} and the largest timestamp from the indexes' last entries and the batches
     * after them; used after a clean open and after truncation.
     */
    void loadTail() throws IOException {
        int limit = size;
        BatchReader reader = new BatchReader(channel, limit);
        TimestampOffset lastTime = timeIndex.lastEntry();
        maxTimestampSoFar = lastTime == null ? RecordBatchHeader.NO_TIMESTAMP : lastTime.timestamp();
        offsetOfMaxTimestampSoFar = lastTime == null ? baseOffset : lastTime.offset();
        OffsetPosition from = offsetIndex.lookup(lastTime == null ? baseOffset : lastTime.offset());
        RecordBatchHeader first = reader.headerAt(0);
        firstBatchTimestamp = first == null ? RecordBatchHeader.NO_TIMESTAMP : first.maxTimestamp();
        int pos = from.position();
        long next = pos == 0 ? baseOffset : from.offset() + 1;
        while (pos < limit) {
            RecordBatchHeader h = reader.headerAt(pos);
            if (h == null) {
                break;
            }
            if (h.maxTimestamp() > maxTimestampSoFar) {
                maxTimestampSoFar = h.maxTimestamp();
                offsetOfMaxTimestampSoFar = h.lastOffset();
            }
            next = h.nextOffset();
            pos += h.sizeInBytes();
        }
        nextOffset = next;
    }

    /**
     * Empties both indexes and re-adds entries for every batch in the file, without validating the batches; for an
     * index found missing or out of order after a clean shutdown.
     */
    void rebuildIndexes() throws IOException {
        SegmentRecovery.scan(this, Integer.MAX_VALUE, h -> { }, false);
    }

    /** Restarts index bookkeeping before a scan re-adds every batch (writer only). */
    void resetIndexes() {
        offsetIndex.reset();
        timeIndex.reset();
        maxTimestampSoFar = RecordBatchHeader.NO_TIMESTAMP;
        firstBatchTimestamp = RecordBatchHeader.NO_TIMESTAMP;
        bytesSinceLastIndexEntry = 0;
    }

    /** Re-adds one scanned batch at {@code position} to the indexes (writer only, during a scan). */
    void indexScannedBatch(RecordBatchHeader h, int position) {
        indexBatch(h, position);
    }

    /** Cuts the file at {@code validBytes} after a scan and sets the next offset (writer only). */
    void truncateAfterScan(int validBytes, long next) throws IOException {
        if (channel.size() > validBytes) {
            channel.truncate(validBytes);
        }
        size = validBytes;
        nextOffset = next;
    }

    /** Called when a newer segment takes over appends: records the final time-index entry and trims the indexes. */
    void onBecomeInactive() throws IOException {
        if (maxTimestampSoFar >= 0 && !timeIndex.isFull()) {
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
        }
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
        channel.force(true);
        txnIndex.flush();
    }

    /** Makes a trimmed segment appendable again, after the segments after it were truncated away. */
    void reopenForAppend(LogConfig config) {
        offsetIndex.reopenForAppend(config.segmentIndexBytes());
        timeIndex.reopenForAppend(config.segmentIndexBytes());
    }

    /** Writes the file and both indexes to disk. */
    void flush() throws IOException {
        channel.force(true);
        offsetIndex.flush();
        timeIndex.flush();
        txnIndex.flush();
    }

    /** Trims the indexes and closes the file. */
    void close() throws IOException {
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
        channel.close();
        txnIndex.close();
    }

    /** Closes the files and deletes the segment's files from wherever they are ({@code suffix} as renamed). */
    void closeAndDelete(String suffix) throws IOException {
        channel.close();
        Files.deleteIfExists(Path.of(logFile + suffix));
        Files.deleteIfExists(Path.of(offsetIndex.file() + suffix));
        Files.deleteIfExists(Path.of(timeIndex.file() + suffix));
        txnIndex.delete();
    }

    /** Renames the segment's files with {@code suffix} (e.g. {@code .deleted}); the open channels keep working. */
    void renameWithSuffix(String suffix) throws IOException {
        for (Path p : new Path[] {logFile, offsetIndex.file(), timeIndex.file()}) {
            if (Files.exists(p)) {
                Files.move(p, Path.of(p + suffix), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        txnIndex.renameTo(Path.of(txnIndex.file() + suffix));
    }

    @Override
    public String toString() {
        return "LogSegment(" + logFile.getFileName() + ", size=" + size + ", next=" + nextOffset + ")";
    }
}
