package io.runnel.log;

import io.runnel.log.epoch.EpochEndOffset;
import io.runnel.log.record.RecordBatchHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionLogTest {
    private static final long T0 = 1_700_000_000_000L;
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(T0);

    private PartitionLog open(Map<String, String> overrides) {
        LogConfig config = LogConfig.DEFAULT.with(Map.of(LogConfig.FILE_DELETE_DELAY_MS, "0")).with(overrides);
        return PartitionLog.open(dir, config, clock::get,
                io.runnel.log.record.UncompressedTimestampScanner.INSTANCE);
    }

    @Test
    void appendAssignsContiguousOffsetsAndStampsTheEpoch() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            LogAppendInfo a = log.append(TestBatches.batch(3, 10, T0), 5);
            LogAppendInfo b = log.append(TestBatches.batch(2, 10, T0), 5);
            assertEquals(0, a.firstOffset());
            assertEquals(2, a.lastOffset());
            assertEquals(3, b.firstOffset());
            assertEquals(5, log.logEndOffset());
            List<ByteBuffer> batches = TestBatches.readAll(log, 0);
            assertEquals(2, batches.size());
            RecordBatchHeader second = RecordBatchHeader.validate(batches.get(1), 0);
            assertEquals(3, second.baseOffset());
            assertEquals(5, second.partitionLeaderEpoch());
        }
    }

    @Test
    void readFromTheMiddleOfABatchReturnsTheWholeBatch() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            log.append(TestBatches.batch(10, 10, T0), 0);
            ByteBuffer slice = log.read(7, 1 << 20, Long.MAX_VALUE).readAll();
            assertEquals(0, RecordBatchHeader.parse(slice, 0).baseOffset());
        }
    }

    @Test
    void readReturnsOneWholeBatchEvenWhenLargerThanMaxBytes() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            ByteBuffer big = TestBatches.batch(4, 1000, T0);
            int size = big.remaining();
            log.append(big, 0);
            log.append(TestBatches.batch(1, 10, T0), 0);
            FileSlice slice = log.read(0, 10, Long.MAX_VALUE);
            assertEquals(size, slice.length());
            assertTrue(log.read(0, 10, Long.MAX_VALUE, false).isEmpty());
        }
    }

    @Test
    void readHidesBatchesAtOrAboveMaxOffset() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            log.append(TestBatches.batch(2, 10, T0), 0);
            log.append(TestBatches.batch(2, 10, T0), 0);
            ByteBuffer slice = log.read(0, 1 << 20, 2).readAll();
            assertEquals(1, TestBatches.split(slice).size());
            assertTrue(log.read(2, 1 << 20, 2).isEmpty());
        }
    }

    @Test
    void offsetsOutsideTheLogAreOutOfRange() {
        try (PartitionLog log = open(Map.of())) {
            log.append(TestBatches.batch(2, 10, T0), 0);
            assertTrue(log.read(2, 100, Long.MAX_VALUE).isEmpty());
            LogException e = assertThrows(LogException.class, () -> log.read(3, 100, Long.MAX_VALUE));
            assertEquals(LogError.OFFSET_OUT_OF_RANGE, e.error());
            assertEquals(1, e.error().code());
            assertThrows(LogException.class, () -> log.read(-1, 100, Long.MAX_VALUE));
        }
    }

    @Test
    void badBatchesAreRefusedAndAppendNothing() {
        try (PartitionLog log = open(Map.of(LogConfig.MAX_MESSAGE_BYTES, "2000"))) {
            ByteBuffer corrupt = TestBatches.batch(2, 10, T0);
            corrupt.put(corrupt.limit() - 1, (byte) 99);
            assertEquals(LogError.CORRUPT_MESSAGE, assertThrows(LogException.class, () -> log.append(corrupt, 0)).error());

            ByteBuffer magic = TestBatches.batch(2, 10, T0);
            magic.put(16, (byte) 1);
            assertEquals(LogError.CORRUPT_MESSAGE, assertThrows(LogException.class, () -> log.append(magic, 0)).error());

            ByteBuffer big = TestBatches.batch(3, 1000, T0);
            assertEquals(LogError.MESSAGE_TOO_LARGE, assertThrows(LogException.class, () -> log.append(big, 0)).error());

            ByteBuffer good = TestBatches.batch(1, 10, T0);
            ByteBuffer cut = TestBatches.concat(List.of(good, TestBatches.batch(1, 10, T0).limit(30)));
            assertEquals(LogError.CORRUPT_MESSAGE, assertThrows(LogException.class, () -> log.append(cut, 0)).error());

            assertEquals(0, log.logEndOffset());
            assertEquals(0, log.sizeInBytes());
        }
    }

    @Test
    void followerAppendKeepsOffsetsAndGapsAndRefusesOffsetsGoingBack() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            ByteBuffer first = TestBatches.batch(0, new long[] {T0, T0}, new byte[][] {{1}, {2}}, -1, (short) -1, -1);
            first.putInt(12, 3);
            log.appendAsFollower(first);
            assertEquals(2, log.logEndOffset());
            assertEquals(3, log.leaderEpochCache().latestEpoch());
            // a leader whose cleaner removed offsets 2-4: the follower keeps the gap, as the leader's log has it
            ByteBuffer gap = TestBatches.batch(5, new long[] {T0}, new byte[][] {{1}}, -1, (short) -1, -1);
            log.appendAsFollower(gap);
            assertEquals(6, log.logEndOffset());
            ByteBuffer fromGap = log.read(3, 1 << 20, Long.MAX_VALUE).readAll();
            assertEquals(5, fromGap.getLong(0), "a read inside the gap returns the next batch");

            ByteBuffer back = TestBatches.batch(4, new long[] {T0, T0}, new byte[][] {{1}, {2}}, -1, (short) -1, -1);
            assertEquals(LogError.UNKNOWN_SERVER_ERROR,
                    assertThrows(LogException.class, () -> log.appendAsFollower(back)).error());
            ByteBuffer unordered = TestBatches.concat(List.of(
                    TestBatches.batch(9, new long[] {T0}, new byte[][] {{1}}, -1, (short) -1, -1),
                    TestBatches.batch(7, new long[] {T0}, new byte[][] {{1}}, -1, (short) -1, -1)));
            assertEquals(LogError.UNKNOWN_SERVER_ERROR,
                    assertThrows(LogException.class, () -> log.appendAsFollower(unordered)).error());
            assertEquals(6, log.logEndOffset());
        }
        try (PartitionLog reopened = open(Map.of())) {
            assertEquals(6, reopened.logEndOffset(), "recovery keeps the gap");
        }
    }

    @Test
    void epochEndOffsetsFollowKip279() {
        try (PartitionLog log = open(Map.of())) {
            log.append(TestBatches.batch(3, 10, T0), 1);
            log.append(TestBatches.batch(2, 10, T0), 4);
            assertEquals(new EpochEndOffset(1, 3), log.endOffsetForEpoch(1));
            assertEquals(new EpochEndOffset(1, 3), log.endOffsetForEpoch(2));
            assertEquals(new EpochEndOffset(4, 5), log.endOffsetForEpoch(4));
            assertEquals(new EpochEndOffset(0, 0), log.endOffsetForEpoch(0));
            assertEquals(EpochEndOffset.UNDEFINED, log.endOffsetForEpoch(9));
            log.truncateTo(3);
            assertEquals(1, log.leaderEpochCache().latestEpoch());
        }
    }

    @Test
    void cleanReopenKeepsEverythingAndCheckpoints() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "300"))) {
            for (int i = 0; i < 10; i++) {
                log.append(TestBatches.batch(2, 50, T0 + i), 2);
            }
            log.updateHighWatermark(14);
        }
        assertTrue(Files.exists(dir.resolve(LogFiles.CLEAN_SHUTDOWN)));
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "300"))) {
            assertFalse(Files.exists(dir.resolve(LogFiles.CLEAN_SHUTDOWN)));
            assertEquals(20, log.logEndOffset());
            assertEquals(14, log.highWatermark());
            assertEquals(10, TestBatches.readAll(log, 0).size());
            assertEquals(2, log.leaderEpochCache().latestEpoch());
            assertTrue(log.numberOfSegments() > 2);
            assertEquals(20, log.append(TestBatches.batch(1, 5, T0), 2).firstOffset());
        }
    }

    @Test
    void missingOrCorruptIndexesAreRebuilt() throws IOException {
        Map<String, String> small = Map.of(LogConfig.SEGMENT_BYTES, "2000", LogConfig.INDEX_INTERVAL_BYTES, "1");
        try (PartitionLog log = open(small)) {
            for (int i = 0; i < 40; i++) {
                log.append(TestBatches.batch(1, 100, T0 + i), 0);
            }
        }
        Files.delete(dir.resolve(LogSegment.fileName(0, ".index")));
        Path timeIndex = dir.resolve(LogSegment.fileName(0, ".timeindex"));
        Files.write(timeIndex, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        try (PartitionLog log = open(small)) {
            assertTrue(Files.size(dir.resolve(LogSegment.fileName(0, ".index"))) > 0);
            for (long o = 0; o < 40; o++) {
                ByteBuffer slice = log.read(o, 1, Long.MAX_VALUE).readAll();
                assertEquals(o, RecordBatchHeader.parse(slice, 0).baseOffset());
                assertEquals(o, log.offsetForTimestamp(T0 + o).offset());
            }
        }
    }

    @Test
    void uncleanShutdownTruncatesAtTheFirstCorruptBatch() throws IOException {
        PartitionLog crashed = open(Map.of());
        for (int i = 0; i < 5; i++) {
            crashed.append(TestBatches.batch(2, 20, T0), 0);
        }
        long thirdBatchStart = 2L * TestBatches.batch(2, 20, T0).remaining();
        try (FileChannel ch = FileChannel.open(dir.resolve(LogSegment.fileName(0, ".log")), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {42}), thirdBatchStart + 70);
        }
        try (PartitionLog log = open(Map.of())) {
            assertEquals(4, log.logEndOffset());
            assertEquals(2, TestBatches.readAll(log, 0).size());
            assertEquals(4, log.append(TestBatches.batch(1, 5, T0), 0).firstOffset());
        }
    }

    @Test
    void segmentsRollOnBytesAndOnAge() {
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "1000", LogConfig.SEGMENT_MS, "60000"))) {
            ByteBuffer b = TestBatches.batch(1, 400, clock.get());
            log.append(b, 0);
            log.append(TestBatches.batch(1, 400, clock.get()), 0);
            assertEquals(1, log.numberOfSegments());
            log.append(TestBatches.batch(1, 400, clock.get()), 0);
            assertEquals(List.of(0L, 2L), log.segmentBaseOffsets());
            clock.addAndGet(60_001);
            log.append(TestBatches.batch(1, 10, clock.get()), 0);
            assertEquals(List.of(0L, 2L, 3L), log.segmentBaseOffsets());
        }
    }

    @Test
    void appendLargerThanASegmentIsRecordListTooLarge() {
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "500"))) {
            LogException e = assertThrows(LogException.class, () -> log.append(TestBatches.batch(1, 600, T0), 0));
            assertEquals(LogError.RECORD_LIST_TOO_LARGE, e.error());
        }
    }

    @Test
    void retentionByTimeAndSizeDeletesOldSegmentsOnly() {
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "600", LogConfig.RETENTION_MS, "1000"))) {
            for (int i = 0; i < 6; i++) {
                log.append(TestBatches.batch(1, 400, clock.get()), 0);
            }
            log.updateHighWatermark(log.logEndOffset());
            assertEquals(0, log.deleteOldSegments());
            clock.addAndGet(1001);
            assertEquals(5, log.deleteOldSegments());
            assertEquals(5, log.logStartOffset());
            assertEquals(1, log.numberOfSegments());
        }
    }

    @Test
    void retentionNeverPassesTheHighWatermark() {
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "600", LogConfig.RETENTION_BYTES, "0"))) {
            for (int i = 0; i < 4; i++) {
                log.append(TestBatches.batch(1, 400, clock.get()), 0);
            }
            log.updateHighWatermark(2);
            assertEquals(2, log.deleteOldSegments());
            assertEquals(2, log.logStartOffset());
        }
    }

    @Test
    void deleteRecordsBeforeMovesTheLogStartAndHidesOlderOffsets() {
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "600"))) {
            for (int i = 0; i < 4; i++) {
                log.append(TestBatches.batch(2, 200, clock.get()), 0);
            }
            assertThrows(LogException.class, () -> log.deleteRecordsBefore(3));
            log.updateHighWatermark(8);
            log.deleteRecordsBefore(3);
            assertEquals(3, log.logStartOffset());
            assertEquals(List.of(2L, 4L, 6L), log.segmentBaseOffsets());
            assertThrows(LogException.class, () -> log.read(2, 100, Long.MAX_VALUE));
            assertEquals(3, log.offsetForTimestamp(0).offset());
        }
    }

    @Test
    void truncatingAtTheLogEndDropsAnEpochWithoutBatches() {
        try (PartitionLog log = open(Map.of())) {
            log.append(TestBatches.batch(3, 10, T0), 1);
            log.leaderEpochCache().assign(2, 3);
            assertEquals(2, log.leaderEpochCache().latestEpoch());
            assertFalse(log.truncateTo(3), "no batch to remove");
            assertEquals(1, log.leaderEpochCache().latestEpoch(), "epoch 2 never held a batch here");
            assertEquals(3, log.logEndOffset());
        }
    }

    @Test
    void truncateFullyRestartsTheLogElsewhere() {
        try (PartitionLog log = open(Map.of())) {
            log.append(TestBatches.batch(3, 10, T0), 1);
            log.truncateFullyAndStartAt(100);
            assertEquals(100, log.logStartOffset());
            assertEquals(100, log.logEndOffset());
            assertEquals(-1, log.leaderEpochCache().latestEpoch());
            assertEquals(100, log.append(TestBatches.batch(1, 10, T0), 2).firstOffset());
        }
        try (PartitionLog log = open(Map.of())) {
            assertEquals(100, log.logStartOffset());
            assertEquals(101, log.logEndOffset());
        }
    }

    @Test
    void offsetForTimestampFindsTheFirstRecordAtOrAfter() {
        try (PartitionLog log = open(Map.of())) {
            log.append(TestBatches.batch(new long[] {T0 + 10, T0 + 5, T0 + 30}, new byte[][] {{1}, {2}, {3}}), 0);
            log.append(TestBatches.batch(new long[] {T0 + 20, T0 + 40}, new byte[][] {{1}, {2}}), 0);
            assertEquals(0, log.offsetForTimestamp(T0).offset());
            assertEquals(2, log.offsetForTimestamp(T0 + 11).offset());
            assertEquals(T0 + 30, log.offsetForTimestamp(T0 + 11).timestamp());
            assertEquals(4, log.offsetForTimestamp(T0 + 31).offset());
            assertNull(log.offsetForTimestamp(T0 + 41));
        }
    }

    @Test
    void aMultiBatchAppendIntoANearlyFullIndexSucceedsAndStaysReadable() throws IOException {
        Map<String, String> tiny = Map.of(LogConfig.INDEX_INTERVAL_BYTES, "0", LogConfig.SEGMENT_INDEX_BYTES, "24");
        try (PartitionLog log = open(tiny)) {
            List<ByteBuffer> batches = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                batches.add(TestBatches.batch(1, 10, T0 + i));
            }
            log.append(TestBatches.concat(batches), 0);
            assertEquals(6, log.logEndOffset());
            for (long o = 0; o < 6; o++) {
                assertEquals(o, RecordBatchHeader.parse(log.read(o, 1, Long.MAX_VALUE).readAll(), 0).baseOffset());
                assertEquals(o, log.offsetForTimestamp(T0 + o).offset());
            }
        }
    }
}
