package io.runnel.log;

import io.runnel.log.checkpoint.CheckpointFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * The per-partition checkpoint files beside the segments: log start offset, high watermark, recovery point (below it
 * everything is fsynced), and the clean-shutdown marker. Each offset file is written atomically
 * ({@link CheckpointFile}).
 */
final class LogCheckpoints {
    private static final Logger LOG = Logger.getLogger(LogCheckpoints.class.getName());
    private final Path dir;

    LogCheckpoints(Path dir) {
        this.dir = dir;
    }

    void writeLogStartOffset(long offset) {
        write(LogFiles.LOG_START_OFFSET, offset);
    }

    void writeHighWatermark(long offset) {
        write(LogFiles.HIGH_WATERMARK, offset);
    }

    void writeRecoveryPoint(long offset) {
        write(LogFiles.RECOVERY_POINT, offset);
    }

    void writeCleanerOffset(long offset) {
        write(LogFiles.CLEANER_CHECKPOINT, offset);
    }

    /** The cleaner's first dirty offset; 0 (nothing cleaned) when missing. */
    long readCleanerOffset() {
        return read(LogFiles.CLEANER_CHECKPOINT, 0L);
    }

    long readLogStartOffset() {
        return read(LogFiles.LOG_START_OFFSET, 0L);
    }

    long readHighWatermark() {
        return read(LogFiles.HIGH_WATERMARK, 0L);
    }

    /** The recovery point; 0 (recover everything) when missing or unreadable. */
    long readRecoveryPoint() {
        return read(LogFiles.RECOVERY_POINT, 0L);
    }

    /** True if the last close was clean; removes the marker so that a crash from now on is seen as unclean. */
    boolean consumeCleanShutdownMarker() throws IOException {
        Path marker = dir.resolve(LogFiles.CLEAN_SHUTDOWN);
        boolean clean = Files.exists(marker);
        Files.deleteIfExists(marker);
        return clean;
    }

    void writeCleanShutdownMarker() throws IOException {
        Files.write(dir.resolve(LogFiles.CLEAN_SHUTDOWN), new byte[0]);
    }

    private void write(String name, long offset) {
        try {
            new CheckpointFile(dir.resolve(name)).writeOffset(offset);
        } catch (IOException e) {
            throw new LogException(LogError.KAFKA_STORAGE_ERROR, "cannot write " + dir.resolve(name), e);
        }
    }

    private long read(String name, long fallback) {
        try {
            return new CheckpointFile(dir.resolve(name)).readOffset(fallback);
        } catch (IOException e) {
            LOG.warning("ignoring unreadable checkpoint: " + e.getMessage());
            return fallback;
        }
    }
}
