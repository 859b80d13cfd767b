package io.runnel.cli.perf;

import java.util.Arrays;

/**
 * A bounded sample of per-record latencies for percentiles: with {@code expected} records and room for
 * {@code maxSamples}, every {@code ceil(expected / maxSamples)}-th latency is kept (every one when they all fit),
 * so a run of any length uses bounded memory. Percentile {@code p} of {@code n} kept values is the value at
 * index {@code floor(p * n)} of the sorted sample (clamped to the last), the definition Kafka's perf tool uses.
 */
final class LatencySamples {

    private final long stride;
    private final int[] samples;
    private long seen;
    private int size;

    /**
     * @param expected how many latencies will be offered (the run's record count)
     * @param maxSamples the most values to keep
     */
    LatencySamples(long expected, int maxSamples) {
        if (expected < 1 || maxSamples < 1) {
            throw new IllegalArgumentException("expected and maxSamples must be positive");
        }
        this.stride = (expected + maxSamples - 1) / maxSamples;
        this.samples = new int[(int) Math.min(maxSamples, expected / stride + 1)];
    }

    /** Offers one latency, milliseconds; kept when it falls on the sampling stride and there is room. */
    void add(int latencyMs) {
        if (seen++ % stride == 0 && size < samples.length) {
            samples[size++] = latencyMs;
        }
    }

    /** @return how many values are kept */
    int size() {
        return size;
    }

    /**
     * @param percentiles fractions in [0, 1], e.g. 0.5, 0.95, 0.99, 0.999
     * @return the latency at each, milliseconds (0 when nothing was kept)
     */
    int[] percentiles(double... percentiles) {
        int[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int[] values = new int[percentiles.length];
        for (int i = 0; i < percentiles.length; i++) {
            if (size > 0) {
                int index = (int) Math.min(size - 1, (long) (percentiles[i] * size));
                values[i] = sorted[Math.max(0, index)];
            }
        }
        return values;
    }
}
