package io.runnel.log;

import io.runnel.log.cleaner.CleanerStats;
import io.runnel.log.cleaner.OffsetMap;
import io.runnel.log.cleaner.Throttler;
import io.runnel.log.compress.CompressionCodec;
import io.runnel.log.record.UncompressedTimestampScanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogCleaningTest {
    private static final long T0 = 1_700_000_000_000L;
    private final AtomicLong clock = new AtomicLong(T0);

    private LogConfig compactConfig() {
        return LogConfig.DEFAULT.with(Map.of(LogConfig.SEGMENT_BYTES, "2048", LogConfig.CLEANUP_POLICY, "compact",
                LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.01", LogConfig.DELETE_RETENTION_MS, "1000"));
    }

    private PartitionLog open(Path dir, LogConfig cfg) {
        return PartitionLog.open(dir, cfg, clock::get, UncompressedTimestampScanner.INSTANCE);
    }

    private static OffsetMap map() {
        return new OffsetMap(1 << 20, 0.9);
    }

    private static void writeKeys(PartitionLog log, int keys, int rounds, CompressionCodec codec, long ts) {
        for (int r = 0; r < rounds; r++) {
            List<String[]> kvs = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                kvs.add(new String[] {"k" + k, "v" + r + "-" + k});
            }
            log.append(KeyedBatches.batch(kvs, codec, ts, -1, -1), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    @Test
    void keepsTheLastValueOfEveryKeyAndTheOffsets(@TempDir Path dir) throws Exception {
        for (CompressionCodec codec : CompressionCodec.values()) {
            Path d = dir.resolve(codec.label());
            try (PartitionLog log = open(d, compactConfig())) {
                writeKeys(log, 10, 40, codec, T0);
                List<KeyedBatches.Entry> before = KeyedBatches.readAll(log);
                long activeBase = log.segmentBaseOffsets().get(log.numberOfSegments() - 1);
                CleanerStats stats = log.clean(map(), new Throttler(Double.MAX_VALUE));
                assertNotNull(stats, codec.label());
                List<KeyedBatches.Entry> after = KeyedBatches.readAll(log);
                assertEquals(KeyedBatches.latest(before), KeyedBatches.latest(after), codec.label());
                assertEquals(before.stream().filter(e -> e.offset() >= activeBase).toList(),
                        after.stream().filter(e -> e.offset() >= activeBase).toList());
                long cleanedRecords = after.stream().filter(e -> e.offset() < activeBase).count();
                assertTrue(cleanedRecords <= 10, codec.label() + ": " + cleanedRecords);
                assertEquals(log.logEndOffset(), 400);
                assertEquals(activeBase, log.firstDirtyOffset());
                assertNull(log.clean(map(), new Throttler(Double.MAX_VALUE)), "nothing dirty is left");
            }
            try (PartitionLog reopened = open(d, compactConfig())) {
                assertEquals(400, reopened.logEndOffset());
                assertEquals(10, KeyedBatches.latest(KeyedBatches.readAll(reopened)).size());
            }
        }
    }

    @Test
    void neverTouchesAnythingAtOrAboveTheHighWatermark(@TempDir Path dir) throws Exception {
        try (PartitionLog log = open(dir, compactConfig())) {
            writeKeys(log, 10, 40, CompressionCodec.NONE, T0);
            log.updateHighWatermark(5);
            assertNull(log.clean(map(), new Throttler(Double.MAX_VALUE)));
            assertEquals(400, KeyedBatches.readAll(log).size());
        }
    }

    @Test
    void deletePolicyLogsAreNotCleaned(@TempDir Path dir) throws Exception {
        try (PartitionLog log = open(dir, compactConfig().withCleanupPolicy(CleanupPolicy.DELETE))) {
            writeKeys(log, 10, 40, CompressionCodec.NONE, T0);
            assertNull(log.clean(map(), new Throttler(Double.MAX_VALUE)));
        }
    }

    @Test
    void tombstonesStayForDeleteRetentionAfterTheCleaningThatReachedThem(@TempDir Path dir) throws Exception {
        try (PartitionLog log = open(dir, compactConfig())) {
            writeKeys(log, 10, 20, CompressionCodec.NONE, T0);
            log.append(KeyedBatches.batch(List.<String[]>of(new String[] {"k3", null}), CompressionCodec.NONE, T0,
                    -1, -1), 0);
            writeKeysExcept3(log, 20);
            assertNotNull(log.clean(map(), new Throttler(Double.MAX_VALUE)));
            assertTrue(KeyedBatches.latest(KeyedBatches.readAll(log)).containsKey("k3"), "tombstone kept");
            clock.set(T0 + 999);
            writeKeysExcept3(log, 20);
            assertNotNull(log.clean(map(), new Throttler(Double.MAX_VALUE)));
            KeyedBatches.Entry k3 = KeyedBatches.latest(KeyedBatches.readAll(log)).get("k3");
            assertNotNull(k3, "still within delete.retention.ms");
            assertNull(k3.value());
            clock.set(T0 + 1000);
            writeKeysExcept3(log, 20);
            assertNotNull(log.clean(map(), new Throttler(Double.MAX_VALUE)));
            assertFalse(KeyedBatches.latest(KeyedBatches.readAll(log)).containsKey("k3"), "tombstone removed");
        }
    }

    private void writeKeysExcept3(PartitionLog log, int rounds) {
        for (int r = 0; r < rounds; r++) {
            List<String[]> kvs = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                if (k != 3) {
                    kvs.add(new String[] {"k" + k, "w" + r + "-" + k + "-" + clock.get()});
                }
            }
            log.append(KeyedBatches.batch(kvs, CompressionCodec.NONE, clock.get(), -1, -1), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    @Test
    void keepsTheLastBatchOfEachProducerEvenWhenEmptied(@TempDir Path dir) throws Exception {
        try (PartitionLog log = open(dir, compactConfig())) {
            log.append(KeyedBatches.batch(List.<String[]>of(new String[] {"a", "1"}), CompressionCodec.NONE, T0, 77,
                    0), 0);
            writeKeys(log, 10, 40, CompressionCodec.NONE, T0);
            log.append(KeyedBatches.batch(List.<String[]>of(new String[] {"a", "2"}), CompressionCodec.NONE, T0, 88,
                    0), 0);
            log.updateHighWatermark(log.logEndOffset());
            log.clean(map(), new Throttler(Double.MAX_VALUE));
            List<java.nio.ByteBuffer> batches = TestBatches.readAll(log, log.logStartOffset());
            boolean producer77 = batches.stream().anyMatch(b -> b.getLong(43) == 77);
            assertTrue(producer77, "producer 77's last batch survives, emptied");
        }
    }

    @Test
    void anUnfinishedCleaningLeavesNoFilesBehind(@TempDir Path dir) throws Exception {
        PartitionLog log = open(dir, compactConfig());
        writeKeys(log, 10, 40, CompressionCodec.NONE, T0);
        Files.createDirectories(dir.resolve("cleaning"));
        Files.write(dir.resolve("cleaning").resolve(LogSegment.fileName(0, ".log")), new byte[100]);
        log.close();
        try (PartitionLog reopened = open(dir, compactConfig())) {
            assertFalse(Files.exists(dir.resolve("cleaning")));
            assertEquals(400, KeyedBatches.readAll(reopened).size());
        }
    }
}
