package io.runnel.log;

import io.runnel.log.cleaner.OffsetMap;
import io.runnel.log.cleaner.Throttler;
import io.runnel.log.compress.CompressionCodec;
import io.runnel.log.record.UncompressedTimestampScanner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariants of the log cleaner over random keyed histories: random keys, versions, tombstones, codecs, batch and
 * segment sizes, offset-map sizes, and crashes at every step of the swap (the docs' "Log Compaction" guarantees).
 */
class CleanerProperties {
    private static final long T0 = 1_700_000_000_000L;
    private static final long RETENTION_MS = 1000;

    /** One batch: its records as key index and version (-1 for a tombstone), and its codec. */
    record BatchSpec(List<int[]> records, CompressionCodec codec) {
    }

    /** A history and the sizes it is written with. */
    record Scenario(List<BatchSpec> batches, int segmentBytes, int mapEntries) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<int[]> record = Combinators.combine(Arbitraries.integers().between(0, 24),
                Arbitraries.integers().between(0, 9)).as((k, t) -> new int[] {k, t == 0 ? -1 : 0});
        Arbitrary<BatchSpec> batch = Combinators.combine(record.list().ofMinSize(1).ofMaxSize(8),
                Arbitraries.of(CompressionCodec.values())).as(BatchSpec::new);
        return Combinators.combine(batch.list().ofMinSize(1).ofMaxSize(60),
                Arbitraries.of(300, 700, 2048, 8192), Arbitraries.of(4, 30, 10_000)).as(Scenario::new);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("cleaner-prop");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static LogConfig config(int segmentBytes) {
        return LogConfig.DEFAULT.with(Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes),
                LogConfig.CLEANUP_POLICY, "compact", LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0",
                LogConfig.DELETE_RETENTION_MS, Long.toString(RETENTION_MS), LogConfig.FILE_DELETE_DELAY_MS, "0"));
    }

    private static PartitionLog open(Path dir, Scenario s, AtomicLong clock) {
        return PartitionLog.open(dir, config(s.segmentBytes()), clock::get, UncompressedTimestampScanner.INSTANCE);
    }

    /** Writes the history; versions count up per key; returns the last write per key (value null: tombstone). */
    private static Map<String, String> write(PartitionLog log, Scenario s) {
        Map<String, String> last = new HashMap<>();
        Map<Integer, Integer> versions = new HashMap<>();
        for (BatchSpec b : s.batches()) {
            List<String[]> kvs = new ArrayList<>();
            for (int[] r : b.records()) {
                int v = versions.merge(r[0], 1, Integer::sum);
                String key = "key-" + r[0];
                String value = r[1] < 0 ? null : key + ":" + v;
                kvs.add(new String[] {key, value});
                last.put(key, value);
            }
            log.append(KeyedBatches.batch(kvs, b.codec(), T0, -1, -1), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
        return last;
    }

    private static OffsetMap map(Scenario s) {
        return new OffsetMap((long) s.mapEntries() * OffsetMap.BYTES_PER_ENTRY, 1.0);
    }

    @Property(tries = 60)
    void cleaningKeepsTheLatestValueOfEveryKeyAndChangesNothingAboveIt(@ForAll("scenarios") Scenario s)
            throws Exception {
        Path dir = tempDir();
        AtomicLong clock = new AtomicLong(T0);
        try (PartitionLog log = open(dir, s, clock)) {
            Map<String, String> last = write(log, s);
            List<KeyedBatches.Entry> before = KeyedBatches.readAll(log);
            long uncleanable = log.cleanableSection().firstUncleanableOffset();
            for (int i = 0; i < 5 && log.clean(map(s), new Throttler(Double.MAX_VALUE)) != null; i++) {
                assertInvariants(before, KeyedBatches.readAll(log), last, uncleanable);
            }
            List<KeyedBatches.Entry> after = KeyedBatches.readAll(log);
            assertInvariants(before, after, last, uncleanable);
            // no tombstone has gone: the clock has not moved, so every delete horizon is still ahead
            for (Map.Entry<String, String> e : last.entrySet()) {
                if (e.getValue() == null) {
                    assertTrue(KeyedBatches.latest(after).containsKey(e.getKey()), "tombstone of " + e.getKey());
                }
            }
            // past the horizon, with fresh dirty data, tombstones the first cleanings reached disappear
            clock.set(T0 + RETENTION_MS);
            Set<KeyedBatches.Entry> reached = new HashSet<>();
            for (KeyedBatches.Entry e : after) {
                if (e.value() == null && e.offset() < log.firstDirtyOffset()) {
                    reached.add(e);
                }
            }
            for (int i = 0; i < 3; i++) {
                log.append(KeyedBatches.batch(List.<String[]>of(new String[] {"fresh", "x".repeat(s.segmentBytes() / 4)}),
                        CompressionCodec.NONE, clock.get(), -1, -1), 0);
            }
            log.updateHighWatermark(log.logEndOffset());
            if (log.clean(new OffsetMap(1 << 20, 1.0), new Throttler(Double.MAX_VALUE)) != null) {
                List<KeyedBatches.Entry> cleaned = KeyedBatches.readAll(log);
                for (KeyedBatches.Entry t : reached) {
                    assertFalse(cleaned.contains(t), "tombstone " + t + " outlived delete.retention.ms");
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    static void assertInvariants(List<KeyedBatches.Entry> before, List<KeyedBatches.Entry> after,
                                 Map<String, String> last, long uncleanable) {
        long prev = -1;
        for (KeyedBatches.Entry e : after) {
            assertTrue(e.offset() > prev, "offsets strictly increase: " + prev + " then " + e.offset());
            prev = e.offset();
        }
        assertTrue(before.containsAll(after), "cleaning only removes records");
        assertEquals(before.stream().filter(e -> e.offset() >= uncleanable).toList(),
                after.stream().filter(e -> e.offset() >= uncleanable).toList(), "nothing above the clean point");
        Map<String, KeyedBatches.Entry> latest = KeyedBatches.latest(after);
        for (Map.Entry<String, String> e : last.entrySet()) {
            KeyedBatches.Entry got = latest.get(e.getKey());
            if (e.getValue() != null) {
                assertTrue(got != null && e.getValue().equals(got.value()), e.getKey() + ": " + got);
            } else {
                assertTrue(got == null || got.value() == null, e.getKey() + " was deleted: " + got);
            }
        }
    }

    /** Thrown by the step listener to stop a cleaning dead, as a crash would. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String step) {
            super("simulated crash at " + step);
        }
    }

    @Property(tries = 80)
    void aCrashAnywhereInTheSwapRecoversToBeforeOrAfter(@ForAll("scenarios") Scenario s,
                                                        @ForAll CleanerSwap.Step step,
                                                        @ForAll @IntRange(min = 0, max = 3) int occurrence)
            throws Exception {
        Path dir = tempDir();
        Path reference = tempDir();
        AtomicLong clock = new AtomicLong(T0);
        try {
            PartitionLog crashed = open(dir, s, clock);
            write(crashed, s);
            crashed.flush();
            crashed.checkpointHighWatermark();
            List<KeyedBatches.Entry> before = KeyedBatches.readAll(crashed);
            copyTree(dir, reference);
            AtomicInteger seen = new AtomicInteger();
            try {
                LogCleaning.cleanOnce(crashed, map(s), new Throttler(Double.MAX_VALUE), reached -> {
                    if (reached == step && seen.getAndIncrement() == occurrence) {
                        throw new SimulatedCrash(reached.name());
                    }
                });
            } catch (SimulatedCrash expected) {
                // the crashed instance is abandoned without close(), as after a kill -9
            }
            List<KeyedBatches.Entry> after;
            try (PartitionLog ref = open(reference, s, clock)) {
                ref.clean(map(s), new Throttler(Double.MAX_VALUE));
                after = KeyedBatches.readAll(ref);
            }
            try (PartitionLog recovered = open(dir, s, clock)) {
                List<KeyedBatches.Entry> got = KeyedBatches.readAll(recovered);
                assertTrue(got.equals(before) || got.equals(after), "recovered to neither before nor after the "
                        + "cleaning (crash at " + step + " #" + occurrence + ")");
                assertFalse(Files.exists(dir.resolve(LogFiles.CLEANING_DIR)));
                assertFalse(Files.exists(dir.resolve(LogFiles.SWAP_MANIFEST)));
            }
        } finally {
            deleteTree(dir);
            deleteTree(reference);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path f : walk.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
