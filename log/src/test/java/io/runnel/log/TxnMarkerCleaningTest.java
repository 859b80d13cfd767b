package io.runnel.log;

import io.runnel.log.cleaner.OffsetMap;
import io.runnel.log.cleaner.Throttler;
import io.runnel.log.record.BatchCodec;
import io.runnel.log.record.RecordBatchHeader;
import io.runnel.log.record.UncompressedTimestampScanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Transaction markers and the cleaner (KIP-98, KIP-534): kept while their data is live, then stamped, then gone. */
class TxnMarkerCleaningTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long RETENTION_MS = 1000;
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(T0);

    private static LogConfig config() {
        return LogConfig.DEFAULT.with(Map.of(LogConfig.SEGMENT_BYTES, "1024", LogConfig.CLEANUP_POLICY, "compact",
                LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.01", LogConfig.FILE_DELETE_DELAY_MS, "0",
                LogConfig.DELETE_RETENTION_MS, Long.toString(RETENTION_MS)));
    }

    private PartitionLog open(Path d) {
        return PartitionLog.open(d, config(), clock::get, UncompressedTimestampScanner.INSTANCE);
    }

    private long append(PartitionLog log, ByteBuffer batch) {
        return log.append(batch, 0).firstOffset();
    }

    private long put(PartitionLog log, String key, String value, long producerId) {
        return append(log, TxnBatches.data(List.<String[]>of(new String[] {key, value}), producerId, 0,
                producerId >= 0, clock.get()));
    }

    /** Plain records of filler keys until a new segment is rolled, so that a cleaning has dirty data. */
    private void roll(PartitionLog log) {
        int segments = log.numberOfSegments();
        for (int i = 0; log.numberOfSegments() == segments; i++) {
            put(log, "f" + (i % 5), "x" + clock.get() + "-" + i, -1);
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    /** {@link #roll}, then a cleaning up to the new segment. */
    private void rollAndClean(PartitionLog log) throws InterruptedException {
        roll(log);
        assertNotNull(log.clean(new OffsetMap(1 << 20, 0.9), new Throttler(Double.MAX_VALUE)));
    }

    /** The batch at {@code offset}, or null. */
    private static RecordBatchHeader at(PartitionLog log, long offset) throws IOException {
        for (ByteBuffer b : TestBatches.readAll(log, log.logStartOffset())) {
            RecordBatchHeader h = RecordBatchHeader.parse(b, 0);
            if (h.baseOffset() == offset) {
                return h;
            }
        }
        return null;
    }

    @Test
    void aCommitMarkerStaysWhileItsDataIsLiveThenGetsAHorizonThenGoes() throws Exception {
        try (PartitionLog log = open(dir)) {
            long data = put(log, "K", "committed", 10);
            long commit = append(log, TxnBatches.marker(10, true, 1, clock.get()));
            put(log, "L", "second", 10);
            long lastCommit = append(log, TxnBatches.marker(10, true, 1, clock.get()));

            rollAndClean(log);
            assertEquals(-1, BatchCodec.deleteHorizonMs(at(log, commit)), "its data is live: kept as it was");
            assertEquals("committed", ReadCommitted.latest(log, log.logEndOffset()).get("K"));

            put(log, "K", "plain", -1);
            rollAndClean(log);
            assertNull(at(log, data), "the transaction's only record was superseded");
            assertEquals(-1, BatchCodec.deleteHorizonMs(at(log, commit)), "this cleaning still read its data");

            clock.addAndGet(10);
            long stampedAt = clock.get();
            rollAndClean(log);
            RecordBatchHeader stamped = at(log, commit);
            assertNotNull(stamped);
            assertTrue(stamped.isControl());
            assertEquals(stampedAt + RETENTION_MS, BatchCodec.deleteHorizonMs(stamped));
            assertEquals(T0, stamped.maxTimestamp(), "the marker's own timestamp stays");

            clock.set(stampedAt + RETENTION_MS - 1);
            rollAndClean(log);
            assertNotNull(at(log, commit), "before the horizon the marker stays");

            clock.set(stampedAt + RETENTION_MS);
            rollAndClean(log);
            assertNull(at(log, commit), "after the horizon the marker is gone");
            assertNotNull(at(log, lastCommit), "the producer's last batch stays");
            assertEquals(-1, BatchCodec.deleteHorizonMs(at(log, lastCommit)), "its data is live");
            assertEquals(Map.of("K", "plain", "L", "second"), withoutFiller(log));
        }
        try (PartitionLog log = open(dir)) {
            assertEquals(Map.of("K", "plain", "L", "second"), withoutFiller(log));
        }
    }

    private static Map<String, String> withoutFiller(PartitionLog log) throws IOException {
        Map<String, String> m = new java.util.TreeMap<>(ReadCommitted.latest(log, log.logEndOffset()));
        m.keySet().removeIf(k -> k.startsWith("f"));
        return m;
    }

    /** Producer 20 aborts a transaction, then commits one: returns {abort marker, index entry's first offset}. */
    private long[] writeAbortThenCommit(PartitionLog log) {
        long first = put(log, "K", "aborted", 20);
        long abort = append(log, TxnBatches.marker(20, false, 1, clock.get()));
        log.appendAbortedTransaction(new AbortedTxn(20, first, abort, abort + 1));
        put(log, "M", "after", 20);
        append(log, TxnBatches.marker(20, true, 1, clock.get()));
        return new long[] {abort, first};
    }

    @Test
    void anAbortMarkerGoesWithItsIndexEntryAndLaterCommitsStayReadable() throws Exception {
        long abort;
        try (PartitionLog log = open(dir)) {
            abort = writeAbortThenCommit(log)[0];
            rollAndClean(log);
            assertEquals(1, log.abortedTransactions(0, Long.MAX_VALUE).size(), "the data was read: entry kept");
            rollAndClean(log);
            assertTrue(BatchCodec.deleteHorizonMs(at(log, abort)) > 0, "no data left: stamped");
            assertEquals(1, log.abortedTransactions(0, Long.MAX_VALUE).size(), "kept with its marker");
            clock.addAndGet(RETENTION_MS);
            rollAndClean(log);
            assertNull(at(log, abort));
            assertEquals(List.of(), log.abortedTransactions(0, Long.MAX_VALUE), "the entry went with its marker");
            assertEquals(Map.of("M", "after"), withoutFiller(log));
        }
        try (PartitionLog log = open(dir)) {
            assertEquals(List.of(), log.abortedTransactions(0, Long.MAX_VALUE));
            assertEquals(Map.of("M", "after"), withoutFiller(log));
        }
    }

    @Test
    void aCrashAnywhereInTheSwapNeverLeavesAnEntryWithoutItsMarker() throws Exception {
        for (CleanerSwap.Step step : CleanerSwap.Step.values()) {
            Path d = dir.resolve(step.name());
            clock.set(T0);
            PartitionLog crashed = open(d);
            long abort = writeAbortThenCommit(crashed)[0];
            rollAndClean(crashed);
            rollAndClean(crashed);
            assertTrue(BatchCodec.deleteHorizonMs(at(crashed, abort)) > 0);
            clock.addAndGet(RETENTION_MS);
            roll(crashed);
            crashed.flush();
            crashed.checkpointHighWatermark();
            try {
                LogCleaning.cleanOnce(crashed, new OffsetMap(1 << 20, 0.9), new Throttler(Double.MAX_VALUE),
                        reached -> {
                            if (reached == step) {
                                throw new IllegalStateException("simulated crash at " + reached);
                            }
                        });
            } catch (IllegalStateException expected) {
                // abandoned without close(), as after a kill -9
            }
            try (PartitionLog log = open(d)) {
                boolean markerLeft = at(log, abort) != null;
                assertEquals(markerLeft ? 1 : 0, log.abortedTransactions(0, Long.MAX_VALUE).size(), step.name());
                assertEquals(Map.of("M", "after"), withoutFiller(log), step.name());
            }
        }
    }
}
