package io.runnel.log.bench;

import io.runnel.log.TestBatches;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Shared set-up of the log benchmarks. */
final class BenchLogs {
    /** 16 records of 1 KiB values: a batch of about 16.6 KiB, as a producer with batch.size=16384 sends. */
    static final int RECORDS_PER_BATCH = 16;
    static final int RECORD_BYTES = 1024;

    private BenchLogs() {
    }

    static ByteBuffer batch() {
        return TestBatches.batch(RECORDS_PER_BATCH, RECORD_BYTES, System.currentTimeMillis());
    }

    /** A fresh directory under {@code runnel.bench.dir} (default: the JVM's temp dir), on the disk to measure. */
    static Path newDir() throws IOException {
        Path parent = Path.of(System.getProperty("runnel.bench.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(parent);
        return Files.createTempDirectory(parent, "runnel-bench");
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
