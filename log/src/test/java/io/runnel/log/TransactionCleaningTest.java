package io.runnel.log;

import io.runnel.log.cleaner.OffsetMap;
import io.runnel.log.cleaner.Throttler;
import io.runnel.log.record.BatchCodec;
import io.runnel.log.record.LogRecord;
import io.runnel.log.record.RecordBatchHeader;
import io.runnel.log.record.UncompressedTimestampScanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cleaner over transactional data (KIP-98): aborted records go, committed ones compact, markers stay through the
 * first cleaning (their removal after {@code delete.retention.ms}: {@link TxnMarkerCleaningTest}).
 */
class TransactionCleaningTest {
    private static final long T0 = 1_700_000_000_000L;
    @TempDir
    Path dir;

    private PartitionLog open() {
        LogConfig cfg = LogConfig.DEFAULT.with(Map.of(LogConfig.SEGMENT_BYTES, "1024", LogConfig.CLEANUP_POLICY,
                "compact", LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.01", LogConfig.FILE_DELETE_DELAY_MS, "0"));
        return PartitionLog.open(dir, cfg, () -> T0, UncompressedTimestampScanner.INSTANCE);
    }

    private static OffsetMap map() {
        return new OffsetMap(1 << 20, 0.9);
    }

    private static long append(PartitionLog log, ByteBuffer batch) {
        return log.append(batch, 0).firstOffset();
    }

    private static void filler(PartitionLog log, int rounds) {
        for (int r = 0; r < rounds; r++) {
            List<String[]> kvs = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                kvs.add(new String[] {"f" + k, "r" + r});
            }
            append(log, TxnBatches.data(kvs, -1, 0, false, T0));
        }
    }

    /** Non-control records by offset as key=value, and the number of control batches. */
    private record Contents(Map<Long, String> records, int markers, List<RecordBatchHeader> headers) {
        String latest(String key) {
            String found = null;
            for (String kv : records.values()) {
                if (kv.startsWith(key + "=")) {
                    found = kv.substring(key.length() + 1);
                }
            }
            return found;
        }
    }

    private static Contents read(PartitionLog log) throws IOException {
        Map<Long, String> records = new LinkedHashMap<>();
        int markers = 0;
        List<RecordBatchHeader> headers = new ArrayList<>();
        for (ByteBuffer b : TestBatches.readAll(log, log.logStartOffset())) {
            RecordBatchHeader h = RecordBatchHeader.validate(b, 0);
            headers.add(h);
            if (h.isControl()) {
                markers++;
                continue;
            }
            for (LogRecord r : BatchCodec.records(b, h)) {
                records.put(r.offset(), text(r.key()) + "=" + text(r.value()));
            }
        }
        return new Contents(records, markers, headers);
    }

    private static String text(ByteBuffer b) {
        return b == null ? null : StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }

    @Test
    void abortedRecordsAreDroppedCommittedOnesCompactedAndMarkersKept() throws Exception {
        AbortedTxn abortedTxn;
        try (PartitionLog log = open()) {
            append(log, TxnBatches.data(List.<String[]>of(new String[] {"K", "old"}), -1, 0, false, T0));
            append(log, TxnBatches.data(List.<String[]>of(new String[] {"K", "committed"}), 10, 0, true, T0));
            append(log, TxnBatches.marker(10, true, 1, T0));
            filler(log, 3);
            long first = append(log, TxnBatches.data(List.<String[]>of(new String[] {"K", "aborted"},
                    new String[] {"Q", "aborted-only"}), 20, 0, true, T0));
            filler(log, 8);
            append(log, TxnBatches.data(List.<String[]>of(new String[] {"K", "aborted2"}), 20, 1, true, T0));
            long end = append(log, TxnBatches.marker(20, false, 1, T0));
            abortedTxn = new AbortedTxn(20, first, end, end + 1);
            log.appendAbortedTransaction(abortedTxn);
            filler(log, 30);
            log.updateHighWatermark(log.logEndOffset());
            assertTrue(log.numberOfSegments() > 4);
            assertEquals("aborted2", read(log).latest("K"), "before cleaning the aborted value is the last one");

            assertNotNull(log.clean(map(), new Throttler(Double.MAX_VALUE)));
            assertTrue(log.firstDirtyOffset() > end, "the whole transaction was cleaned");
            Contents after = read(log);
            assertEquals("committed", after.latest("K"));
            assertFalse(after.records().containsValue("Q=aborted-only"));
            assertFalse(after.records().values().stream().anyMatch(v -> v.startsWith("K=aborted")));
            assertFalse(after.records().containsValue("K=old"));
            assertEquals(2, after.markers(), "commit and abort markers stay through the first cleaning");
            assertTrue(after.headers().stream().noneMatch(h -> h.producerId() == 20 && !h.isControl()),
                    "producer 20's aborted batches are gone");
            assertEquals(List.of(abortedTxn), log.abortedTransactions(0, Long.MAX_VALUE),
                    "the cleaned segment carries the entry over");
            long holder = log.segmentBaseOffsets().stream().filter(b -> b <= end).reduce((a, b) -> b).orElseThrow();
            assertTrue(Files.exists(dir.resolve(LogSegment.fileName(holder, ".txnindex"))));
            assertFalse(Files.exists(dir.resolve("cleaning")));
        }
        try (PartitionLog log = open()) {
            assertEquals(List.of(abortedTxn), log.abortedTransactions(0, Long.MAX_VALUE));
            assertEquals("committed", read(log).latest("K"));
        }
    }

    /** Writes the scenario of the first test; returns its aborted transaction. */
    private static AbortedTxn writeScenario(PartitionLog log) {
        append(log, TxnBatches.data(List.<String[]>of(new String[] {"K", "committed"}), 10, 0, true, T0));
        append(log, TxnBatches.marker(10, true, 1, T0));
        long first = append(log, TxnBatches.data(List.<String[]>of(new String[] {"K", "aborted"}), 20, 0, true, T0));
        filler(log, 12);
        long end = append(log, TxnBatches.marker(20, false, 1, T0));
        AbortedTxn t = new AbortedTxn(20, first, end, end + 1);
        log.appendAbortedTransaction(t);
        filler(log, 30);
        log.updateHighWatermark(log.logEndOffset());
        return t;
    }

    @Test
    void aCrashAnywhereInTheSwapKeepsEachEntryOnce() throws Exception {
        for (CleanerSwap.Step step : CleanerSwap.Step.values()) {
            for (int occurrence = 0; occurrence < 3; occurrence++) {
                Path d = dir.resolve(step + "-" + occurrence);
                LogConfig cfg = LogConfig.DEFAULT.with(Map.of(LogConfig.SEGMENT_BYTES, "1024",
                        LogConfig.CLEANUP_POLICY, "compact", LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.01",
                        LogConfig.FILE_DELETE_DELAY_MS, "0"));
                PartitionLog crashed = PartitionLog.open(d, cfg, () -> T0, UncompressedTimestampScanner.INSTANCE);
                AbortedTxn t = writeScenario(crashed);
                crashed.flush();
                crashed.checkpointHighWatermark();
                int[] seen = {0};
                CleanerSwap.Step target = step;
                int nth = occurrence;
                try {
                    LogCleaning.cleanOnce(crashed, map(), new Throttler(Double.MAX_VALUE), reached -> {
                        if (reached == target && seen[0]++ == nth) {
                            throw new IllegalStateException("simulated crash at " + reached);
                        }
                    });
                } catch (IllegalStateException expected) {
                    // abandoned without close(), as after a kill -9
                }
                try (PartitionLog log = PartitionLog.open(d, cfg, () -> T0, UncompressedTimestampScanner.INSTANCE)) {
                    String where = step + " #" + occurrence;
                    assertEquals(List.of(t), log.abortedTransactions(0, Long.MAX_VALUE), where);
                    assertEquals(2, read(log).markers(), where);
                    assertTrue(List.of("committed", "aborted").contains(read(log).latest("K")), where);
                    log.updateHighWatermark(log.logEndOffset());
                    log.clean(map(), new Throttler(Double.MAX_VALUE));
                    assertEquals("committed", read(log).latest("K"), where);
                    assertEquals(List.of(t), log.abortedTransactions(0, Long.MAX_VALUE), where);
                }
            }
        }
    }

    @Test
    void aResetDuringTheCleaningAbortsIt() throws Exception {
        try (PartitionLog log = open()) {
            AbortedTxn t = writeScenario(log);
            assertNull(LogCleaning.cleanOnce(log, map(), new Throttler(Double.MAX_VALUE), reached -> {
                if (reached == CleanerSwap.Step.WRITTEN) {
                    log.resetTransactionIndexes();
                }
            }));
            assertEquals("aborted", read(log).latest("K"), "nothing was replaced");
            assertFalse(Files.exists(dir.resolve("cleaning")));
            log.appendAbortedTransaction(t);
            assertNotNull(log.clean(map(), new Throttler(Double.MAX_VALUE)));
            assertEquals("committed", read(log).latest("K"));
        }
    }

    @Test
    void nothingAtOrAboveTheFirstUnstableOffsetIsCleaned() throws Exception {
        try (PartitionLog log = open()) {
            filler(log, 20);
            long first = append(log, TxnBatches.data(List.<String[]>of(new String[] {"f1", "open"}), 30, 0, true,
                    T0));
            filler(log, 30);
            log.updateHighWatermark(log.logEndOffset());
            log.updateFirstUnstableOffset(first);
            assertEquals(first, log.firstUnstableOffset());
            List<Long> bases = log.segmentBaseOffsets();
            long holding = bases.stream().filter(b -> b <= first).reduce((a, b) -> b).orElseThrow();
            assertTrue(holding > 0 && holding < bases.get(bases.size() - 1));
            assertEquals(holding, log.cleanableSection().firstUncleanableOffset());
            List<ByteBuffer> tailBefore = TestBatches.readAll(log, holding);

            assertNotNull(log.clean(map(), new Throttler(Double.MAX_VALUE)));
            assertEquals(holding, log.firstDirtyOffset());
            assertEquals(tailBefore, TestBatches.readAll(log, holding), "the unstable part is untouched");
            assertTrue(log.segmentBaseOffsets().contains(holding));

            log.updateFirstUnstableOffset(-1);
            assertTrue(log.cleanableSection().firstUncleanableOffset() > holding);
        }
    }
}
