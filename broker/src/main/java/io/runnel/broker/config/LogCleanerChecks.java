package io.runnel.broker.config;

/**
 * Checks of the log cleaner's broker keys ({@code log.cleaner.*}) as Kafka's {@code CleanerConfig} and
 * {@code KafkaConfig} make them, each failing with a {@link ServerConfigException} naming the key. The topic
 * defaults among them (ratio, compaction lags, tombstone retention) are range-checked by {@code LogConfig}.
 */
final class LogCleanerChecks {
    private static final long MIB = 1024 * 1024;

    private LogCleanerChecks() {
    }

    static void check(ServerConfig c) {
        if (c.logCleanerThreads() < 1) {
            throw new ServerConfigException("Invalid value " + c.logCleanerThreads() + " for log.cleaner.threads:"
                    + " expected >= 1");
        }
        if (c.logCleanerDedupeBufferSize() / c.logCleanerThreads() <= MIB) {
            throw new ServerConfigException("log.cleaner.dedupe.buffer.size must be at least 1MB per cleaner thread:"
                    + " " + c.logCleanerDedupeBufferSize() + " bytes for log.cleaner.threads="
                    + c.logCleanerThreads());
        }
        if (c.logCleanerIoBufferSize() < 0) {
            throw new ServerConfigException("Invalid value " + c.logCleanerIoBufferSize()
                    + " for log.cleaner.io.buffer.size: expected >= 0");
        }
        double load = c.logCleanerIoBufferLoadFactor();
        if (!(load > 0 && load <= 1)) {
            throw new ServerConfigException("Invalid value " + load + " for log.cleaner.io.buffer.load.factor:"
                    + " expected more than 0 and at most 1");
        }
        if (!(c.logCleanerIoMaxBytesPerSecond() > 0)) {
            throw new ServerConfigException("Invalid value " + c.logCleanerIoMaxBytesPerSecond()
                    + " for log.cleaner.io.max.bytes.per.second: expected more than 0");
        }
        if (c.logCleanerBackoffMs() < 0) {
            throw new ServerConfigException("Invalid value " + c.logCleanerBackoffMs() + " for log.cleaner.backoff.ms:"
                    + " expected >= 0");
        }
        long minLag = c.getLong("log.cleaner.min.compaction.lag.ms");
        long maxLag = c.getLong("log.cleaner.max.compaction.lag.ms");
        if (minLag > maxLag) {
            throw new ServerConfigException("log.cleaner.min.compaction.lag.ms (" + minLag + ") must be at most"
                    + " log.cleaner.max.compaction.lag.ms (" + maxLag + ")");
        }
    }
}
