package io.runnel.log;

import io.runnel.log.record.RecordBatchHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The thread model: one writer appending and rolling while readers read; readers only ever see whole batches. */
class ConcurrentReadTest {
    @TempDir
    Path dir;

    @Test
    void readersSeeOnlyWholeValidBatchesWhileTheWriterAppendsAndRolls() throws Exception {
        LogConfig config = LogConfig.DEFAULT.with(Map.of(LogConfig.SEGMENT_BYTES, "20000",
                LogConfig.INDEX_INTERVAL_BYTES, "512", LogConfig.SEGMENT_INDEX_BYTES, "4096"));
        int batches = 3000;
        try (PartitionLog log = PartitionLog.open(dir, config)) {
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<Long>> readers = List.of(pool.submit(() -> readUntil(log, done)),
                        pool.submit(() -> readUntil(log, done)));
                Future<?> writer = pool.submit(() -> {
                    for (int i = 0; i < batches; i++) {
                        log.append(TestBatches.batch(1 + i % 5, 100, 1_700_000_000_000L + i), 0);
                        log.updateHighWatermark(log.logEndOffset());
                    }
                    done.set(true);
                });
                writer.get(60, TimeUnit.SECONDS);
                for (Future<Long> r : readers) {
                    assertTrue(r.get(60, TimeUnit.SECONDS) > 0, "a reader read nothing");
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(log.numberOfSegments() > 10);
            assertEquals(batches, TestBatches.readAll(log, 0).size());
        }
    }

    private static long readUntil(PartitionLog log, AtomicBoolean done) throws Exception {
        long batchesSeen = 0;
        while (!done.get()) {
            long hw = log.highWatermark();
            if (hw == 0) {
                Thread.onSpinWait();
                continue;
            }
            long from = ThreadLocalRandom.current().nextLong(hw);
            ByteBuffer slice = log.read(from, 4096, hw).readAll();
            long expected = -1;
            for (ByteBuffer b : TestBatches.split(slice)) {
                RecordBatchHeader h = RecordBatchHeader.validate(b, 0);
                assertTrue(expected < 0 || h.baseOffset() == expected, "offsets not contiguous");
                assertTrue(h.lastOffset() < hw, "read past the high watermark");
                expected = h.nextOffset();
                batchesSeen++;
            }
        }
        return batchesSeen;
    }
}
