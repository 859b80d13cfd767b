package io.runnel.log;

import io.runnel.log.cleaner.CleanerStats;
import io.runnel.log.cleaner.OffsetMap;
import io.runnel.log.cleaner.Throttler;
import io.runnel.log.epoch.EpochEndOffset;
import io.runnel.log.epoch.LeaderEpochCache;
import io.runnel.log.record.RecordBatchHeader;
import io.runnel.log.record.TimestampScanner;
import io.runnel.log.record.UncompressedTimestampScanner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.NavigableMap;
import java.util.function.LongSupplier;

/**
 * The log of one partition replica, owning its directory ({@code <topic>-<partition>}): segments of Kafka v2 record
 * batches with offset, time and aborted-transaction indexes (KIP-98), a leader-epoch cache, and checkpoints of the
 * log start offset, high watermark and recovery point (Kafka's on-disk model; KIP-101 for epochs).
 *
 * <p>Offsets: the log holds {@code [logStartOffset, logEndOffset)}. Readers never see offsets at or above the
 * {@code maxOffset} they pass (the broker passes the high watermark to consumers).
 *
 * <p>Thread model: one writer at a time — appends, truncation, retention, flush and close serialize on this object's
 * lock — and any number of concurrent readers ({@link #read}, {@link #offsetForTimestamp}, offsets, epochs), which
 * take no lock. A writer publishes file bytes before the new log end offset.
 *
 * <p>Errors: operations throw {@link LogException} naming the Kafka error (CORRUPT_MESSAGE, MESSAGE_TOO_LARGE,
 * RECORD_LIST_TOO_LARGE, INVALID_RECORD, OFFSET_OUT_OF_RANGE, KAFKA_STORAGE_ERROR); a refused append appends nothing.
 */
public final class PartitionLog implements AutoCloseable {
    private final Path dir;
    private final LongSupplier clock;
    private final TimestampScanner scanner;
    private final LogSegments segments = new LogSegments();
    private final LeaderEpochCache epochCache;
    private final LogCheckpoints checkpoints;
    private final Object lock = new Object();
    private final LogBounds bounds;
    private final TransactionIndexes txnIndexes = new TransactionIndexes(this, segments);
    private volatile LogConfig config;
    private long unflushedRecords;
    private long lastFlushMs;
    private boolean closed;

    private PartitionLog(Path dir, LogConfig config, LongSupplier clock, TimestampScanner scanner) throws IOException {
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.scanner = scanner;
        this.checkpoints = new LogCheckpoints(dir);
        LogLoader.Loaded loaded = LogLoader.load(dir, config, clock, this::logEndOffset);
        loaded.segments().values().forEach(segments::add);
        this.epochCache = loaded.epochCache();
        this.bounds = new LogBounds(this, segments, epochCache, checkpoints, loaded.logStartOffset(),
                loaded.logEndOffset(), loaded.highWatermark(), checkpoints.readCleanerOffset());
        this.lastFlushMs = clock.getAsLong();
        checkpoints.writeRecoveryPoint(bounds.recoveryPoint());
        checkpoints.writeLogStartOffset(bounds.logStartOffset());
    }

    /**
     * Opens (creating or recovering) the log in {@code dir} with the system clock and the uncompressed-only
     * timestamp scanner.
     *
     * @throws LogException KAFKA_STORAGE_ERROR when the directory cannot be read or written
     */
    public static PartitionLog open(Path dir, LogConfig config) {
        return open(dir, config, System::currentTimeMillis, UncompressedTimestampScanner.INSTANCE);
    }

    /**
     * Opens the log with an explicit clock (ms since the epoch) and a timestamp scanner able to read the codecs the
     * caller supports.
     *
     * @throws LogException KAFKA_STORAGE_ERROR when the directory cannot be read or written
     */
    public static PartitionLog open(Path dir, LogConfig config, LongSupplier clockMs, TimestampScanner scanner) {
        try {
            return new PartitionLog(dir, config, clockMs, scanner);
        } catch (IOException | UncheckedIOException e) {
            throw new LogException(LogError.KAFKA_STORAGE_ERROR, "cannot open log " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The partition directory. */
    public Path dir() {
        return dir;
    }

    /** The current settings. */
    public LogConfig config() {
        return config;
    }

    /** Replaces the settings (e.g. after IncrementalAlterConfigs); takes effect at the next append or retention. */
    public void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    /** First offset still in the log. */
    public long logStartOffset() {
        return bounds.logStartOffset();
    }

    /** The offset the next appended record gets. */
    public long logEndOffset() {
        return bounds.logEndOffset();
    }

    /** The high watermark the broker last set: consumers read below it. */
    public long highWatermark() {
        return bounds.highWatermark();
    }

    /** The leader-epoch history of this replica. */
    public LeaderEpochCache leaderEpochCache() {
        return epochCache;
    }

    /** Where {@code epoch} ends in this log (OffsetForLeaderEpoch, KIP-101/KIP-279). */
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        return epochCache.endOffsetFor(epoch);
    }

    /** Number of segments, the active one included. */
    public int numberOfSegments() {
        return segments.count();
    }

    /** Base offsets of the segments, oldest first. */
    public List<Long> segmentBaseOffsets() {
        return segments.baseOffsets();
    }

    /** Bytes of batches over all segments. */
    public long sizeInBytes() {
        return segments.sizeInBytes();
    }

    /**
     * Appends batches as the leader: assigns offsets from the log end offset and stamps {@code leaderEpoch}, both by
     * rewriting the batches in {@code records} in place (outside their CRCs).
     *
     * @param records one or more whole magic-v2 batches, position to limit; rewritten and consumed
     * @param leaderEpoch the epoch of the leader appending
     * @return the offsets assigned
     * @throws LogException CORRUPT_MESSAGE, MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_RECORD; nothing appended
     */
    public LogAppendInfo append(ByteBuffer records, int leaderEpoch) {
        synchronized (lock) {
            BatchValidator.Validated v = BatchValidator.validate(records, config, true);
            List<RecordBatchHeader> assigned = v.assignOffsets(records, bounds.logEndOffset(), leaderEpoch);
            LogAppendInfo info = appendValidated(records, assigned, v.positions());
            epochCache.assign(leaderEpoch, info.firstOffset());
            return info;
        }
    }

    /**
     * Appends batches fetched from the leader, keeping their offsets and epochs: the first must start at or above the
     * log end offset and each above the last (gaps, where the leader's cleaner removed batches, are kept).
     *
     * @throws LogException CORRUPT_MESSAGE, MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE; UNKNOWN_SERVER_ERROR when an
     *                      offset goes backwards; nothing appended
     */
    public LogAppendInfo appendAsFollower(ByteBuffer records) {
        synchronized (lock) {
            BatchValidator.Validated v = BatchValidator.validate(records, config, false);
            v.checkContinues(bounds.logEndOffset());
            for (RecordBatchHeader h : v.headers()) {
                epochCache.assign(h.partitionLeaderEpoch(), h.baseOffset());
            }
            return appendValidated(records, v.headers(), v.positions());
        }
    }

    private LogAppendInfo appendValidated(ByteBuffer records, List<RecordBatchHeader> headers, int[] positions) {
        ensureOpen();
        LogAppendInfo info = LogAppendInfo.of(headers, records.remaining());
        LogSegments.Roll roll = StorageIo.call("append", dir, () -> segments.rollIfNeeded(dir, config,
                clock.getAsLong(), info.validBytes(), info.lastOffset(), bounds.logEndOffset()));
        if (roll.rolled()) {
            bounds.setRecoveryPoint(roll.segment().baseOffset());
            checkpoints.writeRecoveryPoint(bounds.recoveryPoint());
        }
        StorageIo.run("append", dir, () -> roll.segment().append(records, headers, positions));
        bounds.appended(info.lastOffset() + 1);
        unflushedRecords += info.recordCount();
        long now = clock.getAsLong();
        if (unflushedRecords >= config.flushMessages() || now - lastFlushMs >= config.flushMs()) {
            flush();
        }
        return info;
    }

    /**
     * Reads whole batches from the one holding {@code startOffset}, at least one batch even if larger than
     * {@code maxBytes} (KIP-74), hiding offsets at or above {@code maxOffset}. A slice never crosses segments.
     *
     * @param maxBytes  bytes the slice may hold
     * @param maxOffset exclusive bound, e.g. the high watermark; {@code Long.MAX_VALUE} for none
     * @return the slice; empty when {@code startOffset} is the log end offset or not below {@code maxOffset}
     * @throws LogException OFFSET_OUT_OF_RANGE when {@code startOffset} is below the log start or above the log end
     */
    public FileSlice read(long startOffset, int maxBytes, long maxOffset) {
        return read(startOffset, maxBytes, maxOffset, true);
    }

    /**
     * As {@link #read(long, int, long)}; with {@code minOneBatch} false a first batch larger than {@code maxBytes}
     * gives an empty slice, as for the later partitions of a Kafka fetch.
     */
    public FileSlice read(long startOffset, int maxBytes, long maxOffset, boolean minOneBatch) {
        long end = bounds.logEndOffset();
        long start = bounds.logStartOffset();
        if (startOffset < start || startOffset > end) {
            throw new LogException(LogError.OFFSET_OUT_OF_RANGE, "offset " + startOffset + " is outside ["
                    + start + ", " + end + "] of " + dir.getFileName());
        }
        if (startOffset == end || startOffset >= maxOffset) {
            return FileSlice.EMPTY;
        }
        long bound = Math.min(maxOffset, end);
        return StorageIo.call("read", dir, () -> segments.read(startOffset, maxBytes, bound, minOneBatch));
    }

    /**
     * The first record whose timestamp is at least {@code timestamp} (ms) and whose offset is at least the log start
     * offset (ListOffsets, KIP-79); null when every record is older.
     */
    public TimestampLookup offsetForTimestamp(long timestamp) {
        long minOffset = bounds.logStartOffset();
        return StorageIo.call("timestamp lookup", dir, () -> segments.offsetForTimestamp(timestamp, minOffset,
                scanner));
    }

    /**
     * Sets the high watermark, clamped to {@code [logStartOffset, logEndOffset]}; the broker's replica manager calls
     * this. Persisted by {@link #checkpointHighWatermark()} and on close.
     */
    public void updateHighWatermark(long offset) {
        bounds.updateHighWatermark(offset);
    }

    /** Writes the high watermark to its checkpoint file. */
    public void checkpointHighWatermark() {
        checkpoints.writeHighWatermark(bounds.highWatermark());
    }

    /**
     * Removes every batch from the one holding {@code offset} on (a follower truncating to the point where it
     * diverged from the leader). An offset below the log start empties the log and restarts it there. Leader-epoch
     * entries starting at or after {@code offset} are dropped even when no batch is: an epoch this replica took as
     * leader without appending to it must not survive as its last fetched epoch once it follows (KIP-101).
     *
     * @return true if any batch was removed
     */
    public boolean truncateTo(long offset) {
        return bounds.truncateTo(offset);
    }

    /** Deletes every segment and restarts the empty log at {@code offset}. */
    public void truncateFullyAndStartAt(long offset) {
        bounds.truncateFullyAndStartAt(offset);
    }

    /**
     * Applies retention ({@code retention.ms}, {@code retention.bytes}, and segments wholly below the log start
     * offset; see {@link LogRetention}), advancing the log start offset. Never deletes the active segment.
     *
     * @return number of segments deleted
     */
    public int deleteOldSegments() {
        return bounds.deleteOldSegments();
    }

    /**
     * Moves the log start offset to {@code offset} (DeleteRecords) and deletes the segments wholly below it.
     *
     * @throws LogException OFFSET_OUT_OF_RANGE when {@code offset} is above the high watermark
     */
    public void deleteRecordsBefore(long offset) {
        bounds.deleteRecordsBefore(offset);
    }

    /**
     * Records an aborted transaction (KIP-98) in the {@code .txnindex} of the segment holding its abort marker
     * ({@code txn.lastOffset()}, appended already), entries in increasing {@code lastOffset} order per segment.
     *
     * @throws IllegalArgumentException no segment holds that offset, or it is below the segment's last entry
     * @throws LogException KAFKA_STORAGE_ERROR on an I/O failure or a closed log
     */
    public void appendAbortedTransaction(AbortedTxn txn) {
        txnIndexes.append(txn);
    }

    /**
     * The aborted transactions with {@code lastOffset >= fetchOffset} and {@code firstOffset < upperBoundOffset}, in
     * {@code lastOffset} order: Fetch's {@code aborted_transactions} for read_committed consumers (KIP-98). Searched
     * from the segment holding {@code fetchOffset} (or the first) up to the first entry whose {@code lastStableOffset}
     * reaches {@code upperBoundOffset} (Kafka's rule: no later entry can overlap). Takes no lock.
     */
    public List<AbortedTxn> abortedTransactions(long fetchOffset, long upperBoundOffset) {
        return txnIndexes.collect(fetchOffset, upperBoundOffset);
    }

    /**
     * Empties every segment's transaction index (deleting the files) before the broker rebuilds them from the batch
     * headers (on open, after truncation) in increasing {@code lastOffset} order.
     *
     * @throws LogException KAFKA_STORAGE_ERROR on an I/O failure or a closed log
     */
    public void resetTransactionIndexes() {
        txnIndexes.reset();
    }

    /**
     * Sets the first offset of the oldest open transaction, -1 for none; the broker moves it past a transaction only
     * after appending its {@link AbortedTxn}. The cleaner never cleans the segment holding it or a later one.
     * Thread-safe.
     *
     * @throws IllegalArgumentException when {@code offset} is below -1
     */
    public void updateFirstUnstableOffset(long offset) {
        bounds.updateFirstUnstableOffset(offset);
    }

    /** See {@link #updateFirstUnstableOffset}; -1 for none. */
    public long firstUnstableOffset() {
        return bounds.firstUnstableOffset();
    }

    /** What the log cleaner may clean now (dirty ratio, bounds); see {@link CleanableSection}. */
    public CleanableSection cleanableSection() {
        return StorageIo.call("cleaner", dir, () -> LogCleaning.section(segments.asMap(), config,
                bounds.logStartOffset(), bounds.highWatermark(), bounds.firstUnstableOffset(),
                bounds.firstDirtyOffset(), clock.getAsLong()));
    }

    /** The first offset the cleaner has not cleaned yet. */
    public long firstDirtyOffset() {
        return bounds.firstDirtyOffset();
    }

    /**
     * Cleans this log once if it needs it ({@link LogCleaning}; Kafka's "Log Compaction"), using {@code map} and
     * bounding I/O by {@code throttler}. Appends and reads go on meanwhile.
     *
     * @return what the cleaning did; null when the log needed none or the log changed under it (nothing replaced)
     * @throws LogException KAFKA_STORAGE_ERROR on an I/O failure (the old segments stand)
     */
    public CleanerStats clean(OffsetMap map, Throttler throttler) throws InterruptedException {
        return LogCleaning.cleanOnce(this, map, throttler, CleanerSwap.StepListener.NONE);
    }

    Object lock() {
        return lock;
    }

    boolean isClosed() {
        return closed;
    }

    LogSegments segments() {
        return segments;
    }

    long nowMs() {
        return clock.getAsLong();
    }

    /** The log's transaction indexes taken together. */
    TransactionIndexes txnIndexes() {
        return txnIndexes;
    }

    /** Bumped by every truncation (caller holds the lock), so a cleaning can tell the log was cut under it. */
    long truncationCount() {
        return bounds.truncationCount();
    }

    /** Everything below {@code end} is clean (caller holds the lock). */
    void markCleaned(long end) {
        bounds.markCleaned(end);
    }

    /** Fsyncs every segment holding offsets at or past the recovery point and advances it to the log end offset. */
    public void flush() {
        synchronized (lock) {
            ensureOpen();
            StorageIo.run("flush", dir, () -> segments.flushFrom(bounds.recoveryPoint()));
            bounds.setRecoveryPoint(bounds.logEndOffset());
            unflushedRecords = 0;
            lastFlushMs = clock.getAsLong();
            checkpoints.writeRecoveryPoint(bounds.recoveryPoint());
        }
    }

    /** Flushes, writes every checkpoint, closes the segments, and leaves the clean-shutdown marker. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            flush();
            checkpointHighWatermark();
            checkpoints.writeLogStartOffset(bounds.logStartOffset());
            StorageIo.run("close", dir, () -> {
                segments.closeAll();
                checkpoints.writeCleanShutdownMarker();
            });
            closed = true;
        }
    }

    /** @throws LogException KAFKA_STORAGE_ERROR once the log is closed */
    void ensureOpen() {
        if (closed) {
            throw new LogException(LogError.KAFKA_STORAGE_ERROR, "log " + dir + " is closed");
        }
    }
}
