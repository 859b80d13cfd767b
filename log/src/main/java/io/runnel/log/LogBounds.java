package io.runnel.log;

import io.runnel.log.epoch.LeaderEpochCache;

import java.util.List;

/**
 * The offsets bounding one {@link PartitionLog} and every move of them but an append's. The log holds
 * {@code [logStartOffset, logEndOffset)}; the high watermark, recovery point and cleaner's first dirty offset stay
 * within those bounds. Moves: truncation at the end (a follower cutting back to where it diverged from the leader),
 * restarting the log empty at an offset, and advancing the log start offset (DeleteRecords, retention), each
 * deleting the segments that fall outside and keeping the leader-epoch cache and the checkpoints in step; and
 * setting the high watermark, clamped to the bounds. All offsets are record offsets.
 *
 * <p>Locking: the offsets are volatile, so readers take no lock; every write happens under the log's lock
 * ({@link PartitionLog#lock()}): the moves take it themselves, the setters ({@link #appended},
 * {@link #setRecoveryPoint}, {@link #markCleaned}) expect their caller to hold it. The truncation count is read and
 * written only under that lock.
 *
 * <p>Errors: moves throw {@link LogException} KAFKA_STORAGE_ERROR on an I/O failure or a closed log, and
 * OFFSET_OUT_OF_RANGE as {@link PartitionLog#deleteRecordsBefore} says.
 */
final class LogBounds {
    private final PartitionLog log;
    private final LogSegments segments;
    private final LeaderEpochCache epochCache;
    private final LogCheckpoints checkpoints;
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    private volatile long highWatermark;
    private volatile long recoveryPoint;
    private volatile long firstDirtyOffset;
    private volatile long firstUnstableOffset = -1;
    private long truncations;

    /**
     * The bounds of a just loaded log; the recovery point starts at the log end offset and the first dirty offset
     * at {@code cleanerOffset} bounded by it. Writes no checkpoint.
     */
    LogBounds(PartitionLog log, LogSegments segments, LeaderEpochCache epochCache, LogCheckpoints checkpoints,
              long logStartOffset, long logEndOffset, long highWatermark, long cleanerOffset) {
        this.log = log;
        this.segments = segments;
        this.epochCache = epochCache;
        this.checkpoints = checkpoints;
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
        this.highWatermark = highWatermark;
        this.recoveryPoint = logEndOffset;
        this.firstDirtyOffset = Math.min(cleanerOffset, logEndOffset);
    }

    long logStartOffset() {
        return logStartOffset;
    }

    long logEndOffset() {
        return logEndOffset;
    }

    long highWatermark() {
        return highWatermark;
    }

    /** Offsets below this are fsynced. */
    long recoveryPoint() {
        return recoveryPoint;
    }

    long firstDirtyOffset() {
        return firstDirtyOffset;
    }

    /** See {@link PartitionLog#updateFirstUnstableOffset}; -1 when no transaction is open. */
    long firstUnstableOffset() {
        return firstUnstableOffset;
    }

    /** See {@link PartitionLog#updateFirstUnstableOffset}. */
    void updateFirstUnstableOffset(long offset) {
        if (offset < -1) {
            throw new IllegalArgumentException("first unstable offset " + offset + " is neither -1 nor an offset");
        }
        firstUnstableOffset = offset;
    }

    /** See {@link PartitionLog#truncationCount()} (caller holds the lock). */
    long truncationCount() {
        return truncations;
    }

    /** An append ended the log at {@code newLogEndOffset} (caller holds the lock, file bytes already written). */
    void appended(long newLogEndOffset) {
        logEndOffset = newLogEndOffset;
    }

    /** Sets the recovery point (caller holds the lock and writes its checkpoint). */
    void setRecoveryPoint(long offset) {
        recoveryPoint = offset;
    }

    /** See {@link PartitionLog#updateHighWatermark}. */
    void updateHighWatermark(long offset) {
        synchronized (log.lock()) {
            highWatermark = Math.max(logStartOffset, Math.min(logEndOffset, offset));
        }
    }

    /** See {@link PartitionLog#markCleaned} (caller holds the lock). */
    void markCleaned(long end) {
        if (end > firstDirtyOffset) {
            firstDirtyOffset = end;
            checkpoints.writeCleanerOffset(end);
        }
    }

    /** See {@link PartitionLog#truncateTo}. */
    boolean truncateTo(long offset) {
        synchronized (log.lock()) {
            log.ensureOpen();
            if (offset >= logEndOffset) {
                epochCache.truncateFromEnd(offset);
                return false;
            }
            if (offset <= logStartOffset) {
                truncateFullyAndStartAt(offset);
                return true;
            }
            StorageIo.run("truncation", log.dir(), () -> {
                segments.deleteFrom(offset, log.config().fileDeleteDelayMs());
                LogSegment active = segments.active();
                active.truncateTo(offset);
                active.reopenForAppend(log.config());
                logEndOffset = active.nextOffset();
            });
            afterTruncation();
            return true;
        }
    }

    /** See {@link PartitionLog#truncateFullyAndStartAt}. */
    void truncateFullyAndStartAt(long offset) {
        synchronized (log.lock()) {
            log.ensureOpen();
            StorageIo.run("truncation", log.dir(), () -> {
                segments.deleteFrom(Long.MIN_VALUE, log.config().fileDeleteDelayMs());
                segments.add(new LogSegment(log.dir(), offset, log.config(), true, log.nowMs()));
            });
            logEndOffset = offset;
            logStartOffset = offset;
            epochCache.clear();
            checkpoints.writeLogStartOffset(offset);
            afterTruncation();
        }
    }

    private void afterTruncation() {
        truncations++;
        if (firstDirtyOffset > logEndOffset) {
            firstDirtyOffset = logEndOffset;
            checkpoints.writeCleanerOffset(logEndOffset);
        }
        epochCache.truncateFromEnd(logEndOffset);
        highWatermark = Math.min(highWatermark, logEndOffset);
        recoveryPoint = Math.min(recoveryPoint, logEndOffset);
        checkpoints.writeRecoveryPoint(recoveryPoint);
        log.checkpointHighWatermark();
    }

    /** See {@link PartitionLog#deleteOldSegments}. */
    int deleteOldSegments() {
        synchronized (log.lock()) {
            log.ensureOpen();
            List<LogSegment> doomed = StorageIo.call("retention", log.dir(), () -> LogRetention.deletable(
                    segments.asMap(), log.config(), log.nowMs(), logStartOffset, highWatermark));
            StorageIo.run("retention", log.dir(), () -> segments.delete(doomed, log.config().fileDeleteDelayMs()));
            if (!doomed.isEmpty()) {
                advanceLogStart(segments.firstBaseOffset());
            }
            return doomed.size();
        }
    }

    /** See {@link PartitionLog#deleteRecordsBefore}. */
    void deleteRecordsBefore(long offset) {
        synchronized (log.lock()) {
            log.ensureOpen();
            if (offset > highWatermark) {
                throw new LogException(LogError.OFFSET_OUT_OF_RANGE, "cannot delete records before " + offset
                        + ": the high watermark is " + highWatermark);
            }
            advanceLogStart(offset);
            deleteOldSegments();
        }
    }

    private void advanceLogStart(long offset) {
        if (offset > logStartOffset) {
            logStartOffset = offset;
            epochCache.truncateFromStart(offset);
            checkpoints.writeLogStartOffset(offset);
        }
    }
}
