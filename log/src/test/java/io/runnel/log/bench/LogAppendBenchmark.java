package io.runnel.log.bench;

import io.runnel.log.LogConfig;
import io.runnel.log.PartitionLog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Leader append throughput of 16 KiB batches of 1 KiB records into one partition log with Kafka's default segment
 * size. Score: batches per second; multiply by {@link #batchBytes} for bytes per second. With {@code fsync=true}
 * the log is fsynced every 64 batches (about 1 MiB), so the disk, not the page cache, bounds the figure.
 * Retention keeps the log at about 2 GiB so a long run does not fill the disk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 10)
public class LogAppendBenchmark {
    @Param({"false", "true"})
    public boolean fsync;

    /** Bytes in one appended batch. */
    public int batchBytes;
    private Path dir;
    private PartitionLog log;
    private ByteBuffer batch;
    private long appends;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = BenchLogs.newDir();
        log = PartitionLog.open(dir, LogConfig.DEFAULT.with(Map.of(LogConfig.RETENTION_BYTES,
                Long.toString(2L << 30), LogConfig.FILE_DELETE_DELAY_MS, "0")));
        batch = BenchLogs.batch();
        batchBytes = batch.remaining();
        System.out.println("batch bytes: " + batchBytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        log.close();
        BenchLogs.delete(dir);
    }

    @Benchmark
    public long append() {
        long first = log.append(batch.duplicate(), 0).firstOffset();
        if (++appends % 64 == 0) {
            if (fsync) {
                log.flush();
            }
            if (appends % 8192 == 0) {
                log.updateHighWatermark(log.logEndOffset());
                log.deleteOldSegments();
            }
        }
        return first;
    }
}
