package io.runnel.log.bench;

import io.runnel.log.FileSlice;
import io.runnel.log.LogConfig;
import io.runnel.log.PartitionLog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Sequential read throughput: a consumer-style walk over a 1 GiB log (256 MiB segments) in 1 MiB fetches, each
 * located through the offset index and copied out of the file into a direct buffer. Score: fetches per second, each
 * of about 1 MiB (whole batches only).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 10)
public class LogReadBenchmark {
    private static final int FETCH_BYTES = 1 << 20;
    private static final long LOG_BYTES = 1L << 30;
    private Path dir;
    private PartitionLog log;
    private final ByteBuffer out = ByteBuffer.allocateDirect(FETCH_BYTES + (64 << 10));
    private long next;
    private long bytesRead;
    private long fetches;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = BenchLogs.newDir();
        log = PartitionLog.open(dir, LogConfig.DEFAULT.with(java.util.Map.of(LogConfig.SEGMENT_BYTES,
                Integer.toString(256 << 20))));
        ByteBuffer batch = BenchLogs.batch();
        while (log.sizeInBytes() < LOG_BYTES) {
            log.append(batch.duplicate(), 0);
        }
        log.flush();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        System.out.printf("%nmean fetch: %d bytes%n", fetches == 0 ? 0 : bytesRead / fetches);
        log.close();
        BenchLogs.delete(dir);
    }

    @Benchmark
    public int fetch() throws IOException {
        if (next >= log.logEndOffset()) {
            next = 0;
        }
        FileSlice slice = log.read(next, FETCH_BYTES, Long.MAX_VALUE);
        out.clear();
        long at = slice.position();
        while (out.position() < slice.length()) {
            out.limit(slice.length());
            at += slice.channel().read(out, at);
        }
        next = io.runnel.log.record.RecordBatchHeader.parse(out, lastBatchStart(out, slice.length())).nextOffset();
        bytesRead += slice.length();
        fetches++;
        return slice.length();
    }

    private static int lastBatchStart(ByteBuffer buf, int length) {
        int pos = 0;
        int last = 0;
        while (pos < length) {
            last = pos;
            pos += buf.getInt(pos + 8) + 12;
        }
        return last;
    }
}
