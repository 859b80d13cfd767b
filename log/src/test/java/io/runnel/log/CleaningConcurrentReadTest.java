package io.runnel.log;

import io.runnel.log.cleaner.OffsetMap;
import io.runnel.log.cleaner.Throttler;
import io.runnel.log.compress.CompressionCodec;
import io.runnel.log.record.UncompressedTimestampScanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reader scanning the log while the cleaner swaps segments under it never sees a key's older version after a
 * newer one at a later offset, never sees offsets go backwards, and never fails.
 */
class CleaningConcurrentReadTest {
    @Test
    void readersDuringCleaningSeeVersionsOnlyRise(@TempDir Path dir) throws Exception {
        LogConfig cfg = LogConfig.DEFAULT.with(Map.of(LogConfig.SEGMENT_BYTES, "4096", LogConfig.CLEANUP_POLICY,
                "compact", LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0"));
        Map<Integer, Integer> versions = new HashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger passes = new AtomicInteger();
        try (PartitionLog log = PartitionLog.open(dir, cfg, System::currentTimeMillis,
                UncompressedTimestampScanner.INSTANCE)) {
            append(log, versions, 40);
            Thread reader = new Thread(() -> {
                try {
                    while (!done.get()) {
                        Map<String, Integer> seen = new HashMap<>();
                        long prev = -1;
                        for (KeyedBatches.Entry e : KeyedBatches.readAll(log)) {
                            if (e.offset() <= prev) {
                                throw new AssertionError("offset " + e.offset() + " after " + prev);
                            }
                            prev = e.offset();
                            int v = Integer.parseInt(e.value().substring(e.value().indexOf(':') + 1));
                            Integer before = seen.put(e.key(), v);
                            if (before != null && before > v) {
                                throw new AssertionError(e.key() + ": version " + v + " after " + before);
                            }
                        }
                        passes.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            for (int round = 0; round < 15 && failure.get() == null; round++) {
                append(log, versions, 10);
                log.clean(new OffsetMap(1 << 20, 0.9), new Throttler(Double.MAX_VALUE));
            }
            int target = passes.get() + 3;
            while (passes.get() < target && failure.get() == null && reader.isAlive()) {
                Thread.onSpinWait();
            }
            done.set(true);
            reader.join();
        }
        assertNull(failure.get(), () -> "reader failed: " + failure.get());
        assertTrue(passes.get() > 0);
    }

    private static void append(PartitionLog log, Map<Integer, Integer> versions, int batches) {
        for (int b = 0; b < batches; b++) {
            List<String[]> kvs = new ArrayList<>();
            for (int k = 0; k < 20; k++) {
                int v = versions.merge(k, 1, Integer::sum);
                kvs.add(new String[] {"k" + k, "k" + k + ":" + v});
            }
            log.append(KeyedBatches.batch(kvs, b % 2 == 0 ? CompressionCodec.NONE : CompressionCodec.LZ4,
                    System.currentTimeMillis(), -1, -1), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
    }
}
