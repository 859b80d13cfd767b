package io.runnel.cli.perf;

import java.util.Locale;

/**
 * The measurements of {@code producer-perf-test} and its output lines, in the format of Kafka's
 * {@code kafka-producer-perf-test.sh}. Every acknowledged record adds its latency (ms from send to acknowledgement)
 * and size (bytes); every reporting interval a window line is produced:
 * <pre>N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency.</pre>
 * (R, A, X with one decimal, M with two), and at the end the total line:
 * <pre>N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, P50 ms 50th, P95 ms 95th,
 * P99 ms 99th, P999 ms 99.9th.</pre>
 * (R with six decimals, M, A, X with two, percentiles whole ms). MB is 1024 * 1024 bytes. Numbers use '.' as the
 * decimal point whatever the locale. Thread-safe: producer callbacks record while the main thread reads.
 */
final class ProducerPerfStats {

    /** The most latencies kept for percentiles (Kafka's tool keeps at most 500,000). */
    static final int MAX_SAMPLES = 500_000;
    private static final double MB = 1024.0 * 1024.0;

    private final long startMs;
    private final long reportingIntervalMs;
    private final LatencySamples samples;
    private final Window total = new Window();
    private Window window = new Window();
    private long windowStartMs;

    /**
     * @param numRecords how many records the run sends
     * @param reportingIntervalMs how often a window line is due, ms
     * @param startMs the run's start, ms since the epoch
     */
    ProducerPerfStats(long numRecords, long reportingIntervalMs, long startMs) {
        this.startMs = startMs;
        this.windowStartMs = startMs;
        this.reportingIntervalMs = reportingIntervalMs;
        this.samples = new LatencySamples(numRecords, MAX_SAMPLES);
    }

    /**
     * Records one acknowledged record.
     *
     * @param latencyMs ms from send to acknowledgement
     * @param bytes the record's value size
     * @param nowMs the current time, ms since the epoch
     * @return the window line when a reporting interval has passed (a new window then starts), else null
     */
    synchronized String record(int latencyMs, int bytes, long nowMs) {
        total.add(latencyMs, bytes);
        window.add(latencyMs, bytes);
        samples.add(latencyMs);
        if (nowMs - windowStartMs < reportingIntervalMs) {
            return null;
        }
        String line = windowLine(window.count, window.bytes, nowMs - windowStartMs, window.totalLatency,
                window.maxLatency);
        window = new Window();
        windowStartMs = nowMs;
        return line;
    }

    /** @return how many records were acknowledged so far */
    synchronized long count() {
        return total.count;
    }

    /**
     * @param nowMs the end of the run, ms since the epoch
     * @return the final summary line
     */
    synchronized String totalLine(long nowMs) {
        int[] p = samples.percentiles(0.5, 0.95, 0.99, 0.999);
        return totalLine(total.count, total.bytes, nowMs - startMs, total.totalLatency, total.maxLatency, p);
    }

    /**
     * @param count records in the window
     * @param bytes their total size, bytes
     * @param elapsedMs the window's length, ms
     * @param totalLatencyMs the sum of their latencies, ms
     * @param maxLatencyMs the largest latency, ms
     * @return the window line
     */
    static String windowLine(long count, long bytes, long elapsedMs, long totalLatencyMs, int maxLatencyMs) {
        double seconds = Math.max(1, elapsedMs) / 1000.0;
        return String.format(Locale.ROOT,
                "%d records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, %.1f ms max latency.",
                count, count / seconds, bytes / MB / seconds, average(totalLatencyMs, count), (double) maxLatencyMs);
    }

    /**
     * @param count all acknowledged records
     * @param bytes their total size, bytes
     * @param elapsedMs the run's length, ms
     * @param totalLatencyMs the sum of their latencies, ms
     * @param maxLatencyMs the largest latency, ms
     * @param percentiles the 50th, 95th, 99th and 99.9th percentile latencies, ms
     * @return the final summary line
     */
    static String totalLine(long count, long bytes, long elapsedMs, long totalLatencyMs, int maxLatencyMs,
            int[] percentiles) {
        double seconds = Math.max(1, elapsedMs) / 1000.0;
        return String.format(Locale.ROOT,
                "%d records sent, %f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency, "
                        + "%d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.",
                count, count / seconds, bytes / MB / seconds, average(totalLatencyMs, count), (double) maxLatencyMs,
                percentiles[0], percentiles[1], percentiles[2], percentiles[3]);
    }

    private static double average(long total, long count) {
        return count == 0 ? 0.0 : total / (double) count;
    }

    /** Running sums over a set of records. */
    private static final class Window {
        long count;
        long bytes;
        long totalLatency;
        int maxLatency;

        void add(int latencyMs, int size) {
            count++;
            bytes += size;
            totalLatency += latencyMs;
            maxLatency = Math.max(maxLatency, latencyMs);
        }
    }
}
