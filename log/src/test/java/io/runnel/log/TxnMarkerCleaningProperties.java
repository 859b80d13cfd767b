package io.runnel.log;

import io.runnel.log.cleaner.OffsetMap;
import io.runnel.log.cleaner.Throttler;
import io.runnel.log.record.BatchCodec;
import io.runnel.log.record.RecordBatchHeader;
import io.runnel.log.record.UncompressedTimestampScanner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transaction markers under repeated cleanings (KIP-98, KIP-534): random interleavings of plain and transactional
 * keyed batches, commits, aborts and cleanings, with the clock moving past {@code delete.retention.ms}. After every
 * cleaning: a read_committed consumer ({@link ReadCommitted}) reads the latest committed value of every key below the
 * last stable offset; no marker is gone while a batch of its transaction is left; every aborted-transaction entry
 * has its abort marker. After final cleanings past the horizon, no removable marker is left; reopening the log gives
 * the same reads and entries. A second property crashes one cleaning anywhere in its swap (CleanerSwap.Step) and
 * checks the same after recovery.
 */
class TxnMarkerCleaningProperties {
    private static final long T0 = 1_700_000_000_000L;
    private static final long RETENTION_MS = 1000;

    enum Kind { PLAIN, TXN_DATA, COMMIT, ABORT, CLEAN }

    record Op(Kind kind, int producer, int key, int seed) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Kind> kind = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Kind.PLAIN)),
                Tuple.of(6, Arbitraries.just(Kind.TXN_DATA)),
                Tuple.of(2, Arbitraries.just(Kind.COMMIT)),
                Tuple.of(2, Arbitraries.just(Kind.ABORT)),
                Tuple.of(1, Arbitraries.just(Kind.CLEAN)));
        return Combinators.combine(kind, Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 1_000_000)).as(Op::new).list().ofMinSize(1).ofMaxSize(150);
    }

    /** What the test knows of the log it wrote. */
    private static final class Model {
        final Map<Long, Long> openTxnFirst = new HashMap<>();
        /** Per producer, base offsets of the data batches of its open transaction. */
        final Map<Long, List<Long>> openBatches = new HashMap<>();
        /** Base offset of a transactional data batch -> offset of its transaction's marker. */
        final Map<Long, Long> markerOf = new HashMap<>();
        /** Offset -> key and value of every data record. */
        final TreeMap<Long, String[]> records = new TreeMap<>();
        final Set<Long> abortedRecords = new HashSet<>();

        long lso(PartitionLog log) {
            return openTxnFirst.values().stream().min(Long::compare).orElse(log.logEndOffset());
        }

        Map<String, String> expected(long lso) {
            Map<String, String> out = new TreeMap<>();
            records.headMap(lso, false).forEach((offset, kv) -> {
                if (!abortedRecords.contains(offset)) {
                    out.put(kv[0], kv[1]);
                }
            });
            return out;
        }
    }

    @Property(tries = 150)
    void markersGoOnlyWhenSafeAndReadsStay(@ForAll("ops") List<Op> ops,
                                           @ForAll @IntRange(min = 300, max = 1500) int segmentBytes)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("runnel-marker-prop");
        LogConfig cfg = LogConfig.DEFAULT.with(Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes),
                LogConfig.CLEANUP_POLICY, "compact", LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.01",
                LogConfig.FILE_DELETE_DELAY_MS, "0", LogConfig.DELETE_RETENTION_MS, Long.toString(RETENTION_MS)));
        AtomicLong clock = new AtomicLong(T0);
        Model m = new Model();
        try {
            try (PartitionLog log = PartitionLog.open(dir, cfg, clock::get, UncompressedTimestampScanner.INSTANCE)) {
                for (Op op : ops) {
                    apply(log, m, op, clock);
                }
                for (long pid : new ArrayList<>(m.openTxnFirst.keySet())) {
                    apply(log, m, new Op(pid % 2 == 0 ? Kind.COMMIT : Kind.ABORT, (int) pid, 0, 0), clock);
                }
                for (int round = 0; round < 3; round++) {
                    clock.addAndGet(RETENTION_MS);
                    rollWithFiller(log, m, clock.get(), round);
                    cleanAndCheck(log, m);
                }
                assertNoRemovableMarker(log, m);
            }
            long lso;
            Map<String, String> reads;
            List<AbortedTxn> entries;
            try (PartitionLog log = PartitionLog.open(dir, cfg, clock::get, UncompressedTimestampScanner.INSTANCE)) {
                lso = m.lso(log);
                reads = ReadCommitted.latest(log, lso);
                entries = log.abortedTransactions(0, Long.MAX_VALUE);
                assertEquals(m.expected(lso), reads);
            }
            try (PartitionLog log = PartitionLog.open(dir, cfg, clock::get, UncompressedTimestampScanner.INSTANCE)) {
                assertEquals(reads, ReadCommitted.latest(log, lso), "reopened");
                assertEquals(entries, log.abortedTransactions(0, Long.MAX_VALUE), "reopened");
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void apply(PartitionLog log, Model m, Op op, AtomicLong clock)
            throws IOException, InterruptedException {
        long pid = op.producer();
        switch (op.kind()) {
            case PLAIN, TXN_DATA -> {
                boolean txn = op.kind() == Kind.TXN_DATA;
                String key = "k" + op.key();
                String value = "v" + op.seed();
                long first = log.append(TxnBatches.data(List.<String[]>of(new String[] {key, value}),
                        txn ? pid : -1, 0, txn, clock.get()), 0).firstOffset();
                m.records.put(first, new String[] {key, value});
                if (txn) {
                    m.openTxnFirst.putIfAbsent(pid, first);
                    m.openBatches.computeIfAbsent(pid, p -> new ArrayList<>()).add(first);
                }
            }
            case COMMIT, ABORT -> {
                Long first = m.openTxnFirst.remove(pid);
                if (first == null) {
                    return;
                }
                boolean commit = op.kind() == Kind.COMMIT;
                long marker = log.append(TxnBatches.marker(pid, commit, 0, clock.get()), 0).firstOffset();
                for (long b : m.openBatches.remove(pid)) {
                    m.markerOf.put(b, marker);
                    if (!commit) {
                        m.abortedRecords.add(b);
                    }
                }
                if (!commit) {
                    long lso = m.openTxnFirst.values().stream().min(Long::compare).orElse(marker + 1);
                    log.appendAbortedTransaction(new AbortedTxn(pid, first, marker, lso));
                }
            }
            case CLEAN -> {
                clock.addAndGet(op.seed() % (2 * RETENTION_MS));
                cleanAndCheck(log, m);
            }
            default -> throw new AssertionError(op);
        }
    }

    /** Appends plain records of keys of their own until a new segment is rolled, so that a cleaning has work. */
    private static void rollWithFiller(PartitionLog log, Model m, long now, int round) {
        int segments = log.numberOfSegments();
        for (int i = 0; log.numberOfSegments() == segments; i++) {
            String key = "f" + (i % 7);
            String value = "r" + round + "-" + i;
            long at = log.append(TxnBatches.data(List.<String[]>of(new String[] {key, value}), -1, 0, false, now),
                    0).firstOffset();
            m.records.put(at, new String[] {key, value});
        }
    }

    private static void cleanAndCheck(PartitionLog log, Model m) throws IOException, InterruptedException {
        long lso = m.lso(log);
        log.updateFirstUnstableOffset(m.openTxnFirst.isEmpty() ? -1 : lso);
        log.updateHighWatermark(log.logEndOffset());
        log.clean(new OffsetMap(1 << 20, 0.9), new Throttler(Double.MAX_VALUE));
        check(log, m, lso);
    }

    /** Reads as the model says; no marker gone while a batch of its transaction is left; no entry without marker. */
    private static void check(PartitionLog log, Model m, long lso) throws IOException {
        assertEquals(m.expected(lso), ReadCommitted.latest(log, lso), "read_committed after cleaning");
        Map<Long, RecordBatchHeader> batches = batches(log);
        for (RecordBatchHeader h : batches.values()) {
            Long marker = m.markerOf.get(h.baseOffset());
            if (!h.isControl() && h.isTransactional() && marker != null) {
                assertTrue(batches.containsKey(marker) && batches.get(marker).isControl(), "the marker at "
                        + marker + " went while a batch of its transaction at " + h.baseOffset() + " is left");
            }
        }
        for (AbortedTxn t : log.abortedTransactions(0, Long.MAX_VALUE)) {
            RecordBatchHeader h = batches.get(t.lastOffset());
            assertTrue(h != null && h.isControl() && h.producerId() == t.producerId(),
                    "the entry " + t + " has no marker");
        }
    }

    @Property(tries = 80)
    void aCrashAnywhereInTheSwapOfAMarkerRemovingCleaningRecovers(@ForAll("ops") List<Op> ops,
                                                                  @ForAll CleanerSwap.Step step,
                                                                  @ForAll @IntRange(min = 0, max = 2) int occurrence,
                                                                  @ForAll @IntRange(min = 0, max = 2) int crashRound,
                                                                  @ForAll @IntRange(min = 300, max = 1500)
                                                                  int segmentBytes)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("runnel-marker-crash-prop");
        LogConfig cfg = LogConfig.DEFAULT.with(Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes),
                LogConfig.CLEANUP_POLICY, "compact", LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.01",
                LogConfig.FILE_DELETE_DELAY_MS, "0", LogConfig.DELETE_RETENTION_MS, Long.toString(RETENTION_MS)));
        AtomicLong clock = new AtomicLong(T0);
        Model m = new Model();
        try {
            PartitionLog crashed = PartitionLog.open(dir, cfg, clock::get, UncompressedTimestampScanner.INSTANCE);
            for (Op op : ops) {
                apply(crashed, m, op, clock);
            }
            for (long pid : new ArrayList<>(m.openTxnFirst.keySet())) {
                apply(crashed, m, new Op(Kind.COMMIT, (int) pid, 0, 0), clock);
            }
            for (long pid = 1; pid <= 3; pid++) { // so that no abort marker is its producer's last batch
                apply(crashed, m, new Op(Kind.TXN_DATA, (int) pid, 9, 0), clock);
                apply(crashed, m, new Op(Kind.COMMIT, (int) pid, 0, 0), clock);
            }
            for (int round = 0; round < crashRound; round++) {
                clock.addAndGet(RETENTION_MS);
                rollWithFiller(crashed, m, clock.get(), round);
                cleanAndCheck(crashed, m);
            }
            clock.addAndGet(RETENTION_MS);
            rollWithFiller(crashed, m, clock.get(), crashRound);
            crashed.updateFirstUnstableOffset(-1);
            crashed.updateHighWatermark(crashed.logEndOffset());
            crashed.flush();
            crashed.checkpointHighWatermark();
            int[] seen = {0};
            try {
                LogCleaning.cleanOnce(crashed, new OffsetMap(1 << 20, 0.9), new Throttler(Double.MAX_VALUE),
                        reached -> {
                            if (reached == step && seen[0]++ == occurrence) {
                                throw new IllegalStateException("simulated crash at " + reached);
                            }
                        });
            } catch (IllegalStateException expected) {
                // abandoned without close(), as after a kill -9
            }
            try (PartitionLog log = PartitionLog.open(dir, cfg, clock::get, UncompressedTimestampScanner.INSTANCE)) {
                check(log, m, log.logEndOffset());
                for (int round = crashRound; round < 3; round++) {
                    clock.addAndGet(RETENTION_MS);
                    rollWithFiller(log, m, clock.get(), 10 + round);
                    cleanAndCheck(log, m);
                }
                assertNoRemovableMarker(log, m);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** After cleanings past every horizon: every marker below the cleaned end has a reason to stay. */
    private static void assertNoRemovableMarker(PartitionLog log, Model m) throws IOException {
        Map<Long, RecordBatchHeader> batches = batches(log);
        long end = log.firstDirtyOffset();
        Set<Long> markersWithData = new HashSet<>();
        Map<Long, Long> lastOfProducer = new HashMap<>();
        for (RecordBatchHeader h : batches.values()) {
            Long marker = m.markerOf.get(h.baseOffset());
            if (!h.isControl() && marker != null) {
                markersWithData.add(marker);
            }
            if (h.hasProducerId() && h.baseOffset() < end) {
                lastOfProducer.put(h.producerId(), h.baseOffset());
            }
        }
        for (RecordBatchHeader h : batches.values()) {
            if (h.isControl() && h.baseOffset() < end) {
                boolean last = lastOfProducer.get(h.producerId()).longValue() == h.baseOffset();
                assertFalse(!markersWithData.contains(h.baseOffset()) && !last,
                        "the marker at " + h.baseOffset() + " (horizon " + BatchCodec.deleteHorizonMs(h)
                                + ") has no batch left, is not its producer's last, and stayed");
            }
        }
    }

    private static Map<Long, RecordBatchHeader> batches(PartitionLog log) throws IOException {
        Map<Long, RecordBatchHeader> out = new TreeMap<>();
        for (ByteBuffer b : TestBatches.readAll(log, log.logStartOffset())) {
            RecordBatchHeader h = RecordBatchHeader.validate(b, 0);
            out.put(h.baseOffset(), h);
        }
        return out;
    }
}
