package io.runnel.log;

import io.runnel.log.record.UncompressedTimestampScanner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterTry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The aborted-transaction lookup of a partition log against a model (KIP-98): random plain and transactional
 * batches, commit and abort markers (real v2 control batches), truncations, resets with rebuilds, clean reopens and
 * crashes that tear a {@code .txnindex}; {@code abortedTransactions(a, b)} always equals the model's filter.
 */
class TransactionIndexProperties {
    private static final long T0 = 1_700_000_000_000L;
    private final List<Path> dirs = new ArrayList<>();
    private final List<PartitionLog> logs = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(T0);

    enum Kind { PLAIN, TXN_DATA, COMMIT, ABORT, TRUNCATE, RESET, REOPEN, CRASH }

    /** One step: what, for which producer (1..3), how many records or which percentage, and a seed. */
    record Op(Kind kind, int producer, int amount, int seed) {
    }

    /** A batch the model knows of. */
    record Written(long baseOffset, long lastOffset, Kind kind, long producer) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Kind> kind = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.PLAIN)),
                net.jqwik.api.Tuple.of(8, Arbitraries.just(Kind.TXN_DATA)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.COMMIT)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.ABORT)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.TRUNCATE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.RESET)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.REOPEN)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.CRASH)));
        Arbitrary<Op> op = Combinators.combine(kind, Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 100), Arbitraries.integers().between(0, 1_000_000)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(70);
    }

    private PartitionLog open(Path dir, int segmentBytes) {
        LogConfig config = LogConfig.DEFAULT.with(Map.of(LogConfig.FILE_DELETE_DELAY_MS, "0",
                LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes)));
        PartitionLog log = PartitionLog.open(dir, config, clock::get, UncompressedTimestampScanner.INSTANCE);
        logs.add(log);
        return log;
    }

    @AfterTry
    void cleanUp() throws IOException {
        for (PartitionLog log : logs) {
            try {
                log.close();
            } catch (RuntimeException ignored) {
                // a log abandoned to simulate a crash
            }
        }
        logs.clear();
        for (Path d : dirs) {
            try (Stream<Path> files = Files.walk(d)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        dirs.clear();
    }

    /** The open transactions after {@code batches}: producer -> first offset. */
    private static Map<Long, Long> open(List<Written> batches) {
        Map<Long, Long> open = new HashMap<>();
        for (Written w : batches) {
            if (w.kind() == Kind.TXN_DATA) {
                open.putIfAbsent(w.producer(), w.baseOffset());
            } else if (w.kind() == Kind.COMMIT || w.kind() == Kind.ABORT) {
                open.remove(w.producer());
            }
        }
        return open;
    }

    @Property(tries = 150)
    void lookupsEqualTheModelsFilter(@ForAll("ops") List<Op> ops,
                                     @ForAll @IntRange(min = 250, max = 1500) int segmentBytes) throws IOException {
        Path dir = Files.createTempDirectory("runnel-txn-prop");
        dirs.add(dir);
        PartitionLog log = open(dir, segmentBytes);
        List<Written> batches = new ArrayList<>();
        List<AbortedTxn> entries = new ArrayList<>();
        for (Op op : ops) {
            long pid = op.producer();
            Map<Long, Long> openTxns = open(batches);
            switch (op.kind()) {
                case PLAIN, TXN_DATA -> {
                    boolean txn = op.kind() == Kind.TXN_DATA;
                    List<String[]> kvs = new ArrayList<>();
                    for (int i = 0; i < 1 + op.amount() % 3; i++) {
                        kvs.add(new String[] {"k" + (op.seed() + i) % 7, "v" + op.seed()});
                    }
                    LogAppendInfo info = log.append(TxnBatches.data(kvs, txn ? pid : -1, 0, txn, T0), 0);
                    batches.add(new Written(info.firstOffset(), info.lastOffset(), op.kind(), txn ? pid : -1));
                }
                case COMMIT, ABORT -> {
                    if (!openTxns.containsKey(pid)) {
                        continue;
                    }
                    boolean commit = op.kind() == Kind.COMMIT;
                    long m = log.append(TxnBatches.marker(pid, commit, op.seed(), T0), 0).firstOffset();
                    batches.add(new Written(m, m, op.kind(), pid));
                    if (!commit) {
                        long lso = m + 1;
                        for (Map.Entry<Long, Long> e : openTxns.entrySet()) {
                            if (e.getKey() != pid) {
                                lso = Math.min(lso, e.getValue());
                            }
                        }
                        AbortedTxn t = new AbortedTxn(pid, openTxns.get(pid), m, lso);
                        log.appendAbortedTransaction(t);
                        entries.add(t);
                    }
                }
                case TRUNCATE -> {
                    long t = log.logEndOffset() * op.amount() / 100;
                    log.truncateTo(t);
                    batches.removeIf(w -> w.lastOffset() >= t);
                    entries.removeIf(e -> e.lastOffset() >= t);
                    long expectedEnd = batches.isEmpty() ? 0 : batches.get(batches.size() - 1).lastOffset() + 1;
                    assertEquals(expectedEnd, log.logEndOffset());
                }
                case RESET -> {
                    log.resetTransactionIndexes();
                    for (AbortedTxn e : entries) {
                        log.appendAbortedTransaction(e);
                    }
                }
                case REOPEN -> {
                    log.close();
                    log = open(dir, segmentBytes);
                }
                case CRASH -> {
                    // the crashed instance is abandoned; a torn entry write is left at the end of some index
                    List<Long> bases = log.segmentBaseOffsets();
                    long base = bases.get(op.seed() % bases.size());
                    Path idx = dir.resolve(LogSegment.fileName(base, ".txnindex"));
                    if (Files.exists(idx)) {
                        try (FileChannel ch = FileChannel.open(idx, StandardOpenOption.WRITE)) {
                            ch.write(ByteBuffer.allocate(1 + op.amount() % 33), ch.size());
                        }
                    }
                    log = open(dir, segmentBytes);
                }
                default -> throw new AssertionError(op);
            }
            check(log, entries, 20, op.seed());
        }
        check(log, entries, Integer.MAX_VALUE, 0);
    }

    private static void check(PartitionLog log, List<AbortedTxn> entries, int samples, int seed) {
        long end = log.logEndOffset();
        long step = Math.max(1, (end + 2) / Math.min(samples, end + 2));
        for (long a = seed % step; a <= end + 1; a += step) {
            for (long b : new long[] {a, a + 1, a + 3, a + 1 + seed % 11, end, end + 1, Long.MAX_VALUE}) {
                final long from = a;
                List<AbortedTxn> expected = entries.stream()
                        .filter(t -> t.lastOffset() >= from && t.firstOffset() < b).toList();
                assertEquals(expected, log.abortedTransactions(a, b), a + ".." + b);
            }
        }
    }
}
