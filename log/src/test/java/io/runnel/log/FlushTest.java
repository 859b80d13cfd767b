package io.runnel.log;

import io.runnel.log.checkpoint.CheckpointFile;
import io.runnel.log.record.UncompressedTimestampScanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** flush.messages and flush.ms advance the recovery point, which a crash recovers from. */
class FlushTest {
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

    private long recoveryPoint() throws IOException {
        return new CheckpointFile(dir.resolve(LogFiles.RECOVERY_POINT)).readOffset(-1);
    }

    @Test
    void flushMessagesFlushesEveryNRecords() throws IOException {
        LogConfig config = LogConfig.DEFAULT.with(Map.of(LogConfig.FLUSH_MESSAGES, "5"));
        try (PartitionLog log = PartitionLog.open(dir, config, clock::get, UncompressedTimestampScanner.INSTANCE)) {
            log.append(TestBatches.batch(3, 10, clock.get()), 0);
            assertEquals(0, recoveryPoint());
            log.append(TestBatches.batch(3, 10, clock.get()), 0);
            assertEquals(6, recoveryPoint());
        }
    }

    @Test
    void flushMsFlushesOnceTheLastFlushIsOldEnough() throws IOException {
        LogConfig config = LogConfig.DEFAULT.with(Map.of(LogConfig.FLUSH_MS, "1000"));
        try (PartitionLog log = PartitionLog.open(dir, config, clock::get, UncompressedTimestampScanner.INSTANCE)) {
            log.append(TestBatches.batch(2, 10, clock.get()), 0);
            assertEquals(0, recoveryPoint());
            clock.addAndGet(1000);
            log.append(TestBatches.batch(2, 10, clock.get()), 0);
            assertEquals(4, recoveryPoint());
        }
    }

    @Test
    void defaultsLeaveFlushingToTheOsUntilAnExplicitFlush() throws IOException {
        try (PartitionLog log = PartitionLog.open(dir, LogConfig.DEFAULT, clock::get,
                UncompressedTimestampScanner.INSTANCE)) {
            log.append(TestBatches.batch(2, 10, clock.get()), 0);
            assertEquals(0, recoveryPoint());
            log.flush();
            assertEquals(2, recoveryPoint());
        }
    }
}
