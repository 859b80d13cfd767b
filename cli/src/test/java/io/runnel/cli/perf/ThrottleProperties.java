package io.runnel.cli.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;

/** The throughput schedule of producer-perf-test. */
class ThrottleProperties {

    private static final double NANOS = 1e9;

    @Property
    void pausingBringsTheRateDownToTheTargetAndNeverBelowIt(
            @ForAll @DoubleRange(min = 1, max = 1e6) double rate,
            @ForAll @LongRange(min = 1, max = 1_000_000) long sent,
            @ForAll @LongRange(min = 0, max = 100_000_000_000L) long elapsedNanos) {
        long pause = new Throttle(rate).pauseNanos(sent, elapsedNanos);
        assertTrue(pause >= 0);
        double due = sent / rate * NANOS;
        if (elapsedNanos >= due) {
            assertEquals(0, pause, "behind schedule: no pause");
        } else {
            double after = elapsedNanos + pause;
            assertTrue(after + 1 >= due, "the pause reaches the schedule (to the nanosecond)");
            assertTrue(after - due <= 1, "and does not overshoot it");
        }
    }

    @Property
    void noLimitNeverPauses(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long sent,
            @ForAll @LongRange(min = 0) long elapsedNanos) {
        assertEquals(0, new Throttle(-1).pauseNanos(sent, elapsedNanos));
    }

    @Example
    void zeroIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Throttle(0));
    }
}
