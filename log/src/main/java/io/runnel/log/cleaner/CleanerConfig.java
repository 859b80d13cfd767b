package io.runnel.log.cleaner;

/**
 * The broker-level settings of the log cleaner, named and defaulted as Kafka's broker configs (Kafka docs, "Broker
 * Configs"). Immutable.
 *
 * @param enabled               {@code log.cleaner.enable}: whether compacted logs are cleaned at all
 * @param threads               {@code log.cleaner.threads}: cleaner threads, at least 1
 * @param dedupeBufferSize      {@code log.cleaner.dedupe.buffer.size}: bytes of offset map over all threads
 * @param ioBufferLoadFactor    {@code log.cleaner.io.buffer.load.factor}: how full an offset map may get, (0, 1]
 * @param ioMaxBytesPerSecond   {@code log.cleaner.io.max.bytes.per.second}: read plus write rate bound (bytes/s)
 * @param backoffMs             {@code log.cleaner.backoff.ms}: sleep when no log needs cleaning (ms)
 */
public record CleanerConfig(boolean enabled, int threads, long dedupeBufferSize, double ioBufferLoadFactor,
                            double ioMaxBytesPerSecond, long backoffMs) {
    /** Kafka's defaults: enabled, 1 thread, 128 MiB, 0.9, unbounded I/O, 15 s backoff. */
    public static final CleanerConfig DEFAULT = new CleanerConfig(true, 1, 134_217_728L, 0.9, Double.MAX_VALUE,
            15_000L);

    /** @throws IllegalArgumentException naming the key whose value is out of range */
    public CleanerConfig {
        if (threads < 1) {
            throw new IllegalArgumentException("log.cleaner.threads must be at least 1, not " + threads);
        }
        if (dedupeBufferSize < (long) threads * 1024 * 1024) {
            throw new IllegalArgumentException("log.cleaner.dedupe.buffer.size must be at least 1 MiB per cleaner"
                    + " thread, not " + dedupeBufferSize);
        }
        if (!(ioBufferLoadFactor > 0 && ioBufferLoadFactor <= 1)) {
            throw new IllegalArgumentException("log.cleaner.io.buffer.load.factor must be in (0, 1], not "
                    + ioBufferLoadFactor);
        }
        if (!(ioMaxBytesPerSecond > 0)) {
            throw new IllegalArgumentException("log.cleaner.io.max.bytes.per.second must be positive, not "
                    + ioMaxBytesPerSecond);
        }
        if (backoffMs < 0) {
            throw new IllegalArgumentException("log.cleaner.backoff.ms must be at least 0, not " + backoffMs);
        }
    }

    /** Bytes of offset map one thread gets. */
    public long dedupeBytesPerThread() {
        return dedupeBufferSize / threads;
    }
}
