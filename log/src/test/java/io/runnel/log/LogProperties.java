package io.runnel.log;

import io.runnel.log.record.RecordBatchHeader;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The invariants of the partition log, each over many random cases (issue: the partition log's acceptance). */
class LogProperties {
    private static final long T0 = 1_700_000_000_000L;
    private final List<Path> dirs = new ArrayList<>();
    private final List<PartitionLog> logs = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(T0);

    /** A batch to append: its record count, value size, and per-record timestamp offsets from T0 (ms). */
    record Spec(int count, int valueSize, long[] tsDeltas) {
        ByteBuffer build() {
            long[] ts = new long[count];
            byte[][] values = new byte[count][];
            for (int i = 0; i < count; i++) {
                ts[i] = T0 + tsDeltas[i];
                values[i] = new byte[valueSize];
                values[i][0] = (byte) i;
            }
            return TestBatches.batch(ts, values);
        }
    }

    @Provide
    Arbitrary<List<Spec>> batches() {
        Arbitrary<Spec> spec = Combinators.combine(Arbitraries.integers().between(1, 6),
                        Arbitraries.integers().between(1, 300))
                .flatAs((count, size) -> Arbitraries.longs().between(0, 10_000).array(long[].class).ofSize(count)
                        .map(ts -> new Spec(count, size, ts)));
        return spec.list().ofMinSize(1).ofMaxSize(40);
    }

    private PartitionLog open(Path dir, Map<String, String> overrides) {
        LogConfig config = LogConfig.DEFAULT.with(Map.of(LogConfig.FILE_DELETE_DELAY_MS, "0",
                LogConfig.SEGMENT_INDEX_BYTES, "4096")).with(overrides);
        PartitionLog log = PartitionLog.open(dir, config, clock::get, UncompressedTimestampScanner.INSTANCE);
        logs.add(log);
        return log;
    }

    private Path newDir() throws IOException {
        Path d = Files.createTempDirectory("runnel-log-prop");
        dirs.add(d);
        return d;
    }

    @AfterTry
    void cleanUp() throws IOException {
        for (PartitionLog log : logs) {
            try {
                log.close();
            } catch (RuntimeException ignored) {
                // a log abandoned to simulate a crash may already share files with its reopened successor
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

    private static List<ByteBuffer> appendAll(PartitionLog log, List<Spec> specs) {
        List<ByteBuffer> written = new ArrayList<>();
        for (Spec s : specs) {
            ByteBuffer b = s.build();
            ByteBuffer copy = ByteBuffer.allocate(b.remaining()).put(b.duplicate()).flip();
            log.append(b, 0);
            written.add(TestBatches.payload(copy));
        }
        return written;
    }

    /** The index into {@code specs} of the batch holding {@code offset}. */
    private static int batchOf(List<Spec> specs, long offset) {
        long next = 0;
        for (int i = 0; i < specs.size(); i++) {
            next += specs.get(i).count();
            if (offset < next) {
                return i;
            }
        }
        throw new AssertionError("offset " + offset + " past the log");
    }

    @Property(tries = 150)
    void appendsReadBackExactlyFromAnyOffset(@ForAll("batches") List<Spec> specs,
                                             @ForAll @IntRange(min = 100, max = 3000) int segmentBytes,
                                             @ForAll @IntRange(min = 0, max = 500) int indexInterval) throws IOException {
        PartitionLog log = open(newDir(), Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes),
                LogConfig.INDEX_INTERVAL_BYTES, Integer.toString(indexInterval)));
        List<ByteBuffer> written = new ArrayList<>();
        for (Spec s : specs) {
            if (s.build().remaining() > segmentBytes) {
                continue;
            }
            written.addAll(appendAll(log, List.of(s)));
        }
        long end = log.logEndOffset();
        for (long from = 0; from < end; from++) {
            List<ByteBuffer> read = TestBatches.readAll(log, from);
            long expectedNext = RecordBatchHeader.parse(read.get(0), 0).baseOffset();
            assertTrue(expectedNext <= from);
            int firstIndex = written.size() - read.size();
            for (int i = 0; i < read.size(); i++) {
                RecordBatchHeader h = RecordBatchHeader.validate(read.get(i), 0);
                assertEquals(expectedNext, h.baseOffset(), "offsets must be contiguous");
                expectedNext = h.nextOffset();
                assertEquals(written.get(firstIndex + i), TestBatches.payload(read.get(i)));
            }
            assertEquals(end, expectedNext);
        }
    }

    @Property(tries = 150)
    void crashCutKeepsExactlyTheWholeBatches(@ForAll("batches") List<Spec> specs,
                                             @ForAll @IntRange(min = 200, max = 3000) int segmentBytes,
                                             @ForAll @IntRange(min = 0, max = 1_000_000) int cutSeed)
            throws IOException {
        Path dir = newDir();
        Map<String, String> cfg = Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes),
                LogConfig.INDEX_INTERVAL_BYTES, "64");
        PartitionLog crashed = open(dir, cfg);
        List<ByteBuffer> written = new ArrayList<>();
        for (Spec s : specs) {
            if (s.build().remaining() <= segmentBytes) {
                written.addAll(appendAll(crashed, List.of(s)));
            }
        }
        long lastBase = crashed.segmentBaseOffsets().get(crashed.numberOfSegments() - 1);
        Path lastFile = dir.resolve(LogSegment.fileName(lastBase, ".log"));
        long size = Files.size(lastFile);
        long cut = size == 0 ? 0 : cutSeed % (size + 1);
        try (FileChannel ch = FileChannel.open(lastFile, StandardOpenOption.WRITE)) {
            ch.truncate(cut);
        }
        // the crashed instance is abandoned without close(): no clean-shutdown marker is written
        PartitionLog log = open(dir, cfg);

        long bytesBefore = 0;
        int kept = 0;
        for (ByteBuffer b : written) {
            RecordBatchHeader h = RecordBatchHeader.parse(b, 0);
            long offsetOfBatch = 0;
            for (int i = 0; i < kept; i++) {
                offsetOfBatch += RecordBatchHeader.parse(written.get(i), 0).lastOffsetDelta() + 1;
            }
            if (offsetOfBatch < lastBase) {
                kept++;
                continue;
            }
            if (bytesBefore + h.sizeInBytes() > cut) {
                break;
            }
            bytesBefore += h.sizeInBytes();
            kept++;
        }
        List<ByteBuffer> read = TestBatches.readAll(log, 0);
        assertEquals(kept, read.size());
        for (int i = 0; i < kept; i++) {
            assertEquals(written.get(i), TestBatches.payload(read.get(i)));
        }
        long end = log.logEndOffset();
        LogAppendInfo after = log.append(TestBatches.batch(2, 10, T0), 0);
        assertEquals(end, after.firstOffset());
        assertEquals(kept + 1, TestBatches.readAll(log, 0).size());
    }

    @Property(tries = 150)
    void retentionKeepsTheActiveSegmentAndNeverMovesTheStartBack(
            @ForAll("batches") List<Spec> specs,
            @ForAll @IntRange(min = 100, max = 2000) int segmentBytes,
            @ForAll @IntRange(min = -1, max = 5000) int retentionBytes,
            @ForAll @IntRange(min = -1, max = 20_000) int retentionMs,
            @ForAll @IntRange(min = 0, max = 5) int rounds) throws IOException {
        PartitionLog log = open(newDir(), Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes),
                LogConfig.RETENTION_BYTES, Integer.toString(retentionBytes),
                LogConfig.RETENTION_MS, Integer.toString(retentionMs)));
        long previousStart = log.logStartOffset();
        int chunk = Math.max(1, specs.size() / (rounds + 1));
        for (int from = 0; from < specs.size(); from += chunk) {
            for (Spec s : specs.subList(from, Math.min(specs.size(), from + chunk))) {
                if (s.build().remaining() <= segmentBytes) {
                    appendAll(log, List.of(s));
                }
            }
            clock.addAndGet(3000);
            log.updateHighWatermark(log.logEndOffset());
            long activeBase = log.segmentBaseOffsets().get(log.numberOfSegments() - 1);
            long end = log.logEndOffset();
            log.deleteOldSegments();
            assertTrue(log.numberOfSegments() >= 1);
            assertEquals(activeBase, log.segmentBaseOffsets().get(log.numberOfSegments() - 1));
            assertEquals(end, log.logEndOffset());
            assertTrue(log.logStartOffset() >= previousStart, "log start offset went backwards");
            assertEquals(log.segmentBaseOffsets().get(0), log.logStartOffset());
            previousStart = log.logStartOffset();
        }
    }

    @Property(tries = 150)
    void indexLookupsAgreeWithALinearScan(@ForAll("batches") List<Spec> specs,
                                          @ForAll @IntRange(min = 0, max = 300) int indexInterval,
                                          @ForAll @IntRange(min = 300, max = 5000) int segmentBytes,
                                          @ForAll @IntRange(min = -10, max = 10_010) int probeTs) throws IOException {
        PartitionLog log = open(newDir(), Map.of(LogConfig.INDEX_INTERVAL_BYTES, Integer.toString(indexInterval),
                LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes)));
        List<Spec> kept = new ArrayList<>();
        for (Spec s : specs) {
            if (s.build().remaining() <= segmentBytes) {
                appendAll(log, List.of(s));
                kept.add(s);
            }
        }
        // offsets: the first batch read from any offset is the batch holding it (the offset index's job)
        for (long o = 0; o < log.logEndOffset(); o++) {
            ByteBuffer slice = log.read(o, 1, Long.MAX_VALUE).readAll();
            long expectedBase = 0;
            for (int i = 0; i < batchOf(kept, o); i++) {
                expectedBase += kept.get(i).count();
            }
            assertEquals(expectedBase, RecordBatchHeader.parse(slice, 0).baseOffset());
        }
        // timestamps: the first record at or after the probe, by linear scan (the time index's job)
        long target = T0 + probeTs;
        long offset = 0;
        TimestampLookup expected = null;
        for (Spec s : kept) {
            for (int i = 0; i < s.count() && expected == null; i++) {
                if (T0 + s.tsDeltas()[i] >= target) {
                    expected = new TimestampLookup(T0 + s.tsDeltas()[i], offset + i, 0);
                }
            }
            offset += s.count();
        }
        assertEquals(expected, log.offsetForTimestamp(target));
    }

    @Property(tries = 150)
    void truncateThenReappendEqualsNeverHavingWritten(@ForAll("batches") List<Spec> first,
                                                      @ForAll("batches") List<Spec> second,
                                                      @ForAll @IntRange(min = 0, max = 100) int keepPercent,
                                                      @ForAll @IntRange(min = 200, max = 3000) int segmentBytes)
            throws IOException {
        Map<String, String> cfg = Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes),
                LogConfig.INDEX_INTERVAL_BYTES, "100");
        List<Spec> fits = first.stream().filter(s -> s.build().remaining() <= segmentBytes).toList();
        List<Spec> more = second.stream().filter(s -> s.build().remaining() <= segmentBytes).toList();
        int keep = fits.size() * keepPercent / 100;
        long truncateAt = 0;
        for (int i = 0; i < keep; i++) {
            truncateAt += fits.get(i).count();
        }
        PartitionLog truncated = open(newDir(), cfg);
        appendAll(truncated, fits);
        truncated.truncateTo(truncateAt);
        assertEquals(truncateAt, truncated.logEndOffset());
        appendAll(truncated, more);

        PartitionLog clean = open(newDir(), cfg);
        appendAll(clean, fits.subList(0, keep));
        appendAll(clean, more);

        assertEquals(clean.logEndOffset(), truncated.logEndOffset());
        List<ByteBuffer> a = TestBatches.readAll(truncated, 0);
        List<ByteBuffer> b = TestBatches.readAll(clean, 0);
        assertEquals(b, a);
        assertEquals(clean.leaderEpochCache().entries(), truncated.leaderEpochCache().entries());
        for (long ts = -1; ts <= 10_001; ts += 997) {
            assertEquals(clean.offsetForTimestamp(T0 + ts), truncated.offsetForTimestamp(T0 + ts));
        }
    }
}
