package io.runnel.cli.perf;

/**
 * Paces {@code producer-perf-test} to at most a target rate. The schedule is absolute: record {@code n} is due
 * {@code n / rate} seconds after the start, so a sender that fell behind catches up without sleeping and one that
 * is ahead sleeps until the schedule reaches it.
 */
final class Throttle {

    private static final double NANOS_PER_SECOND = 1_000_000_000.0;

    private final double recordsPerSecond;

    /** @param recordsPerSecond the target rate, records per second; negative for no limit (zero is not allowed) */
    Throttle(double recordsPerSecond) {
        if (recordsPerSecond == 0 || Double.isNaN(recordsPerSecond)) {
            throw new IllegalArgumentException("throughput must be positive, or negative for no limit");
        }
        this.recordsPerSecond = recordsPerSecond;
    }

    /** @return whether a limit applies */
    boolean enabled() {
        return recordsPerSecond > 0;
    }

    /**
     * @param sent how many records were sent so far
     * @param elapsedNanos time since the start, nanoseconds
     * @return how long to pause before sending the next record, nanoseconds (0 when on or behind schedule)
     */
    long pauseNanos(long sent, long elapsedNanos) {
        if (!enabled()) {
            return 0;
        }
        double dueNanos = sent / recordsPerSecond * NANOS_PER_SECOND;
        return dueNanos > elapsedNanos ? (long) Math.ceil(dueNanos - elapsedNanos) : 0;
    }
}
