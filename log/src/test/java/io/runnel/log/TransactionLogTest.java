package io.runnel.log;

import io.runnel.log.record.RecordBatchHeader;
import io.runnel.log.record.UncompressedTimestampScanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The aborted-transaction indexes of a partition log (KIP-98) through its public API. */
class TransactionLogTest {
    private static final long T0 = 1_700_000_000_000L;
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(T0);

    private PartitionLog open() {
        LogConfig config = LogConfig.DEFAULT.with(Map.of(LogConfig.FILE_DELETE_DELAY_MS, "0",
                LogConfig.SEGMENT_BYTES, "400"));
        return PartitionLog.open(dir, config, clock::get, UncompressedTimestampScanner.INSTANCE);
    }

    private static long data(PartitionLog log, long pid) {
        return log.append(TxnBatches.data(List.<String[]>of(new String[] {"k", "v" + pid}, new String[] {"j", "w"}),
                pid, 0, pid >= 0, T0), 0).firstOffset();
    }

    private static long marker(PartitionLog log, long pid, boolean commit) {
        return log.append(TxnBatches.marker(pid, commit, 3, T0), 0).firstOffset();
    }

    /** Writes, over several segments, aborted transactions of producers 1..4 and a committed one of producer 9. */
    private static List<AbortedTxn> writeTransactions(PartitionLog log) {
        List<AbortedTxn> aborted = new ArrayList<>();
        long first1 = data(log, 1);                  // producer 1 spans many segments
        for (int i = 0; i < 6; i++) {
            data(log, -1);
        }
        long first2 = data(log, 2);
        long end2 = marker(log, 2, false);
        aborted.add(new AbortedTxn(2, first2, end2, first1));
        long first9 = data(log, 9);
        marker(log, 9, true);
        data(log, 1);
        for (int i = 0; i < 6; i++) {
            data(log, -1);
        }
        long end1 = marker(log, 1, false);
        aborted.add(new AbortedTxn(1, first1, end1, end1 + 1));
        for (long pid = 3; pid <= 4; pid++) {
            long first = data(log, pid);
            data(log, -1);
            long end = marker(log, pid, false);
            aborted.add(new AbortedTxn(pid, first, end, end + 1));
        }
        data(log, -1);
        assertTrue(first9 > 0);
        for (AbortedTxn t : aborted) {
            log.appendAbortedTransaction(t);
        }
        return aborted;
    }

    private static List<AbortedTxn> filter(List<AbortedTxn> all, long from, long to) {
        return all.stream().filter(t -> t.lastOffset() >= from && t.firstOffset() < to).toList();
    }

    private void assertLookups(PartitionLog log, List<AbortedTxn> expected) {
        long end = log.logEndOffset();
        for (long from = 0; from <= end + 1; from++) {
            for (long to = from; to <= end + 2; to += 3) {
                assertEquals(filter(expected, from, to), log.abortedTransactions(from, to), from + ".." + to);
            }
        }
    }

    private Path txnIndexOf(long base) {
        return dir.resolve(LogSegment.fileName(base, ".txnindex"));
    }

    @Test
    void lookupsSpanSegmentsAndFollowTheMarkers() {
        try (PartitionLog log = open()) {
            List<AbortedTxn> aborted = writeTransactions(log);
            assertTrue(log.numberOfSegments() >= 4, "segments: " + log.numberOfSegments());
            assertLookups(log, aborted);
            // producer 1's transaction starts in the first segment and ends in a later one
            assertEquals(List.of(aborted.get(1)), log.abortedTransactions(0, 2));
            for (AbortedTxn t : aborted) {
                long base = log.segmentBaseOffsets().stream().filter(b -> b <= t.lastOffset())
                        .reduce((a, b) -> b).orElseThrow();
                assertTrue(Files.exists(txnIndexOf(base)), "index of segment " + base);
            }
        }
    }

    @Test
    void appendRefusesOffsetsOutsideTheLog() {
        try (PartitionLog log = open()) {
            data(log, -1);
            long end = log.logEndOffset();
            assertThrows(IllegalArgumentException.class, () -> log.appendAbortedTransaction(
                    new AbortedTxn(1, 0, end, end + 1)));
            log.appendAbortedTransaction(new AbortedTxn(1, 0, end - 1, end));
            assertThrows(IllegalArgumentException.class, () -> log.appendAbortedTransaction(
                    new AbortedTxn(1, 0, end - 2, end)));
        }
    }

    @Test
    void leaderAndFollowerAppendsAcceptControlAndTransactionalBatches() throws IOException {
        Path other = dir.resolve("follower");
        try (PartitionLog leader = open()) {
            data(leader, 5);
            marker(leader, 5, true);
            List<ByteBuffer> batches = TestBatches.readAll(leader, 0);
            assertTrue(RecordBatchHeader.parse(batches.get(0), 0).isTransactional());
            assertTrue(RecordBatchHeader.parse(batches.get(1), 0).isControl());
            try (PartitionLog follower = PartitionLog.open(other, LogConfig.DEFAULT)) {
                follower.appendAsFollower(TestBatches.concat(batches));
                assertEquals(leader.logEndOffset(), follower.logEndOffset());
            }
        }
    }

    @Test
    void truncationDropsEntriesAtOrAboveTheOffset() {
        try (PartitionLog log = open()) {
            List<AbortedTxn> aborted = writeTransactions(log);
            long cut = aborted.get(2).lastOffset();
            log.truncateTo(cut);
            List<AbortedTxn> left = aborted.subList(0, 2);
            assertLookups(log, left);
            for (long base : log.segmentBaseOffsets()) {
                assertTrue(base < cut);
            }
            long end = marker(log, 7, false);
            log.appendAbortedTransaction(new AbortedTxn(7, end, end, end + 1));
            List<AbortedTxn> now = new ArrayList<>(left);
            now.add(new AbortedTxn(7, end, end, end + 1));
            assertLookups(log, now);
            log.truncateFullyAndStartAt(3);
            assertEquals(List.of(), log.abortedTransactions(0, Long.MAX_VALUE));
        }
    }

    @Test
    void deletedSegmentsTakeTheirIndexesAlong() throws IOException {
        try (PartitionLog log = open()) {
            List<AbortedTxn> aborted = writeTransactions(log);
            log.updateHighWatermark(log.logEndOffset());
            long cut = aborted.get(2).firstOffset();
            List<Long> basesBefore = log.segmentBaseOffsets();
            log.deleteRecordsBefore(cut);
            List<Long> gone = basesBefore.stream().filter(b -> !log.segmentBaseOffsets().contains(b)).toList();
            assertFalse(gone.isEmpty());
            for (long base : gone) {
                assertFalse(Files.exists(txnIndexOf(base)));
                assertFalse(Files.exists(Path.of(txnIndexOf(base) + ".deleted")));
            }
            long first = log.segmentBaseOffsets().get(0);
            List<AbortedTxn> kept = aborted.stream().filter(t -> t.lastOffset() >= first).toList();
            assertEquals(kept, log.abortedTransactions(0, Long.MAX_VALUE));
        }
    }

    @Test
    void entriesSurviveACleanReopenAndAReset() {
        List<AbortedTxn> aborted;
        try (PartitionLog log = open()) {
            aborted = writeTransactions(log);
        }
        try (PartitionLog log = open()) {
            assertLookups(log, aborted);
            log.resetTransactionIndexes();
            assertEquals(List.of(), log.abortedTransactions(0, Long.MAX_VALUE));
            for (long base : log.segmentBaseOffsets()) {
                assertFalse(Files.exists(txnIndexOf(base)));
            }
            for (AbortedTxn t : aborted.stream().sorted((a, b) -> Long.compare(a.lastOffset(), b.lastOffset()))
                    .toList()) {
                log.appendAbortedTransaction(t);
            }
            assertLookups(log, aborted);
        }
        try (PartitionLog log = open()) {
            assertLookups(log, aborted);
        }
    }

    @Test
    void aCrashLeavingATornIndexLosesOnlyTheTornEntry() throws IOException {
        PartitionLog crashed = open();
        List<AbortedTxn> aborted = writeTransactions(crashed);
        long lastBase = crashed.segmentBaseOffsets().get(crashed.numberOfSegments() - 1);
        AbortedTxn last = aborted.get(aborted.size() - 1);
        long segOfLast = crashed.segmentBaseOffsets().stream().filter(b -> b <= last.lastOffset())
                .reduce((a, b) -> b).orElseThrow();
        // a torn write: the last entry only partly reached the disk
        Path file = txnIndexOf(segOfLast);
        long size = Files.size(file);
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size - 20);
        }
        assertTrue(lastBase >= segOfLast);
        // abandoned without close(): no clean-shutdown marker
        try (PartitionLog log = open()) {
            assertLookups(log, aborted.subList(0, aborted.size() - 1));
            assertEquals(0, Files.size(file) % 34);
        }
    }

    @Test
    void recoveryDropsEntriesPastTheRecoveredEnd() throws IOException {
        PartitionLog crashed = open();
        List<AbortedTxn> aborted = writeTransactions(crashed);
        AbortedTxn last = aborted.get(aborted.size() - 1);
        long lastBase = crashed.segmentBaseOffsets().get(crashed.numberOfSegments() - 1);
        assertTrue(last.lastOffset() >= lastBase, "the last marker is in the active segment");
        // the active segment loses its batches from the last marker on
        Path logFile = dir.resolve(LogSegment.fileName(lastBase, ".log"));
        int cut = 0;
        for (ByteBuffer b : TestBatches.split(crashed.read(lastBase, 1 << 20, Long.MAX_VALUE).readAll())) {
            RecordBatchHeader h = RecordBatchHeader.parse(b, 0);
            if (h.baseOffset() >= last.lastOffset()) {
                break;
            }
            cut += h.sizeInBytes();
        }
        try (var ch = java.nio.channels.FileChannel.open(logFile, StandardOpenOption.WRITE)) {
            ch.truncate(cut + 5);
        }
        try (PartitionLog log = open()) {
            assertEquals(last.lastOffset(), log.logEndOffset());
            assertLookups(log, aborted.subList(0, aborted.size() - 1));
        }
    }
}
