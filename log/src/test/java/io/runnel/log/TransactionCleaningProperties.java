package io.runnel.log;

import io.runnel.log.cleaner.OffsetMap;
import io.runnel.log.cleaner.Throttler;
import io.runnel.log.record.BatchCodec;
import io.runnel.log.record.LogRecord;
import io.runnel.log.record.RecordBatchHeader;
import io.runnel.log.record.UncompressedTimestampScanner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Cleaning a compacted log with transactions (KIP-98) never changes what a read_committed consumer sees as the latest
 * value of a key below the last stable offset; aborted records are gone from the cleaned segments, markers and the
 * aborted-transaction entries stay through that first cleaning (later ones: {@link TxnMarkerCleaningProperties}).
 */
class TransactionCleaningProperties {
    private static final long T0 = 1_700_000_000_000L;

    enum Kind { PLAIN, TXN_DATA, COMMIT, ABORT }

    record Op(Kind kind, int producer, int key, int seed) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Kind> kind = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.PLAIN)),
                net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.TXN_DATA)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.COMMIT)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.ABORT)));
        return Combinators.combine(kind, Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 1_000_000)).as(Op::new).list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 100)
    void readCommittedLatestValuesSurviveCleaning(@ForAll("ops") List<Op> ops,
                                                  @ForAll @IntRange(min = 300, max = 1500) int segmentBytes)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("runnel-txn-clean-prop");
        LogConfig cfg = LogConfig.DEFAULT.with(Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes),
                LogConfig.CLEANUP_POLICY, "compact", LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.01",
                LogConfig.FILE_DELETE_DELAY_MS, "0"));
        try (PartitionLog log = PartitionLog.open(dir, cfg, () -> T0, UncompressedTimestampScanner.INSTANCE)) {
            Map<Long, Long> open = new HashMap<>();
            for (Op op : ops) {
                long pid = op.producer();
                switch (op.kind()) {
                    case PLAIN, TXN_DATA -> {
                        boolean txn = op.kind() == Kind.TXN_DATA;
                        long first = log.append(TxnBatches.data(List.<String[]>of(new String[] {"k" + op.key(),
                                "v" + op.seed()}), txn ? pid : -1, 0, txn, T0), 0).firstOffset();
                        if (txn) {
                            open.putIfAbsent(pid, first);
                        }
                    }
                    case COMMIT, ABORT -> {
                        Long first = open.remove(pid);
                        if (first == null) {
                            continue;
                        }
                        long m = log.append(TxnBatches.marker(pid, op.kind() == Kind.COMMIT, 0, T0), 0)
                                .firstOffset();
                        if (op.kind() == Kind.ABORT) {
                            long lso = open.values().stream().min(Long::compare).orElse(m + 1);
                            log.appendAbortedTransaction(new AbortedTxn(pid, first, m, lso));
                        }
                    }
                    default -> throw new AssertionError(op);
                }
            }
            long lso = open.values().stream().min(Long::compare).orElse(log.logEndOffset());
            log.updateFirstUnstableOffset(open.isEmpty() ? -1 : lso);
            log.updateHighWatermark(log.logEndOffset());
            List<AbortedTxn> entries = log.abortedTransactions(0, Long.MAX_VALUE);
            Map<String, String> before = committedLatest(log, lso);
            int markersBefore = markers(log);

            log.clean(new OffsetMap(1 << 20, 0.9), new Throttler(Double.MAX_VALUE));

            assertEquals(before, committedLatest(log, lso));
            assertEquals(markersBefore, markers(log));
            assertEquals(entries, log.abortedTransactions(0, Long.MAX_VALUE));
            for (ByteBuffer b : TestBatches.readAll(log, log.logStartOffset())) {
                RecordBatchHeader h = RecordBatchHeader.validate(b, 0);
                if (h.baseOffset() < log.firstDirtyOffset() && h.recordCount() > 0) {
                    assertFalse(aborted(h, entries), "an aborted batch survived the cleaning at " + h.baseOffset());
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static boolean aborted(RecordBatchHeader h, List<AbortedTxn> entries) {
        return h.isTransactional() && !h.isControl() && entries.stream().anyMatch(t -> t.producerId() == h.producerId()
                && t.firstOffset() <= h.baseOffset() && h.baseOffset() <= t.lastOffset());
    }

    /** What a read_committed consumer reads below {@code lso}: the latest value per key. */
    private static Map<String, String> committedLatest(PartitionLog log, long lso) throws IOException {
        List<AbortedTxn> entries = log.abortedTransactions(0, lso);
        Map<String, String> latest = new TreeMap<>();
        for (ByteBuffer b : TestBatches.readAll(log, log.logStartOffset())) {
            RecordBatchHeader h = RecordBatchHeader.validate(b, 0);
            if (h.isControl() || aborted(h, entries)) {
                continue;
            }
            for (LogRecord r : BatchCodec.records(b, h)) {
                if (r.offset() < lso) {
                    latest.put(text(r.key()), text(r.value()));
                }
            }
        }
        return latest;
    }

    private static int markers(PartitionLog log) throws IOException {
        int n = 0;
        for (ByteBuffer b : TestBatches.readAll(log, log.logStartOffset())) {
            n += RecordBatchHeader.parse(b, 0).isControl() ? 1 : 0;
        }
        return n;
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }
}
