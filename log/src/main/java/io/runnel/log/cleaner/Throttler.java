package io.runnel.log.cleaner;

/**
 * Bounds the cleaner's I/O to {@code log.cleaner.io.max.bytes.per.second} (shared by all cleaner threads, as in
 * Kafka): callers report bytes read or written and are put to sleep while the rate since the window start is above
 * the bound. Thread-safe.
 */
public final class Throttler {
    private static final long WINDOW_NS = 300_000_000L;
    private final double bytesPerSecond;
    private long windowStartNs = System.nanoTime();
    private long bytesInWindow;

    /** @param bytesPerSecond the bound; {@code Double.MAX_VALUE} for none */
    public Throttler(double bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Counts {@code bytes} of I/O and sleeps as long as the bound requires. */
    public void maybeThrottle(long bytes) throws InterruptedException {
        if (bytesPerSecond >= Double.MAX_VALUE) {
            return;
        }
        long sleepMs;
        synchronized (this) {
            bytesInWindow += bytes;
            long now = System.nanoTime();
            long elapsed = now - windowStartNs;
            double allowedNs = bytesInWindow / bytesPerSecond * 1e9;
            sleepMs = (long) ((allowedNs - elapsed) / 1e6);
            if (elapsed > WINDOW_NS && sleepMs <= 0) {
                windowStartNs = now;
                bytesInWindow = 0;
            }
        }
        if (sleepMs > 0) {
            Thread.sleep(sleepMs);
        }
    }
}
