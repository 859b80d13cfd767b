package io.runnel.broker.quota;

/**
 * A byte rate over a sliding window of {@code windows} samples of {@code windowMs} each, as Kafka's replication quota
 * measures it ({@code replication.quota.window.num} = 11, {@code replication.quota.window.size.seconds} = 1, a
 * "simple rate"): the bytes recorded in the samples still inside the window, divided by the time from the oldest of
 * them to now, but by no less than one sample's length, so a throttle holds from its first second. Thread-safe.
 */
public final class RateMeter {
    private final long windowMs;
    private final long[] bytes;
    private final long[] starts;

    /**
     * @param windows  samples kept, at least 2
     * @param windowMs length of one sample, ms
     */
    public RateMeter(int windows, long windowMs) {
        if (windows < 2 || windowMs <= 0) {
            throw new IllegalArgumentException("need at least 2 windows of a positive length");
        }
        this.windowMs = windowMs;
        this.bytes = new long[windows];
        this.starts = new long[windows];
        java.util.Arrays.fill(starts, Long.MIN_VALUE);
    }

    /** Adds {@code n} bytes at {@code nowMs}. */
    public synchronized void record(long n, long nowMs) {
        int i = slot(nowMs);
        bytes[i] += n;
    }

    /** Bytes per second at {@code nowMs}. */
    public synchronized double rate(long nowMs) {
        long oldestAllowed = windowStart(nowMs) - (bytes.length - 1) * windowMs;
        long total = 0;
        long oldest = windowStart(nowMs);
        for (int i = 0; i < bytes.length; i++) {
            if (starts[i] != Long.MIN_VALUE && starts[i] >= oldestAllowed) {
                total += bytes[i];
                oldest = Math.min(oldest, starts[i]);
            }
        }
        long elapsed = Math.max(nowMs - oldest, windowMs);
        return total * 1000.0 / elapsed;
    }

    private int slot(long nowMs) {
        long start = windowStart(nowMs);
        int i = (int) Math.floorMod(start / windowMs, (long) bytes.length);
        if (starts[i] != start) {
            starts[i] = start;
            bytes[i] = 0;
        }
        return i;
    }

    private long windowStart(long nowMs) {
        return nowMs - Math.floorMod(nowMs, windowMs);
    }
}
