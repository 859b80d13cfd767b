package io.runnel.jepsen.workload;

/** Spaces a worker's operations {@code intervalNanos} apart (no catching up after a slow operation). */
final class Pacer {
    private final long intervalNanos;
    private long next = System.nanoTime();

    Pacer(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** Sleeps until the next operation is due. */
    void await() throws InterruptedException {
        long now = System.nanoTime();
        if (next > now) {
            Thread.sleep((next - now) / 1_000_000, (int) ((next - now) % 1_000_000));
        }
        next = Math.max(next, now) + intervalNanos;
    }
}
