package io.runnel.broker.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.image.TopicPartition;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The replication quota's rate and throttled-replica rules (KIP-73), on a hand-moved clock. */
class RateMeterTest {
    @Test
    void theRateIsTheBytesOfTheWindowOverTheTimeTheyCoverAtLeastOneSample() {
        RateMeter m = new RateMeter(11, 1_000);
        m.record(10_000, 100_000);
        assertEquals(10_000.0, m.rate(100_000), 1e-9, "a burst counts over one sample: the throttle holds at once");
        assertEquals(10_000.0, m.rate(100_900), 1e-9);
        assertEquals(10_000 / 1.5, m.rate(101_500), 1e-9, "then over the time since the oldest sample");
        m.record(10_000, 105_500);
        assertEquals(20_000 / 5.5, m.rate(105_500), 1e-9);
        assertEquals(10_000 / 6.2, m.rate(111_200), 1e-9, "the first sample left the 11-s window");
        assertEquals(0.0, m.rate(200_000), 1e-9);
    }

    @Test
    void onlyThrottledReplicasOutsideTheIsrAreHeldBackAndOnlyAboveTheRate() {
        AtomicLong now = new AtomicLong(1_000_000);
        ReplicationQuota q = new ReplicationQuota(now::get);
        TopicPartition t0 = new TopicPartition("t", 0);
        TopicPartition t1 = new TopicPartition("t", 1);
        TopicPartition u5 = new TopicPartition("u", 5);
        assertFalse(q.isThrottled(t0), "no rate: nothing is throttled");
        q.update(100, Map.of("t", Set.of(0)), Set.of("u"));
        assertTrue(q.isThrottled(t0));
        assertFalse(q.isThrottled(t1));
        assertTrue(q.isThrottled(u5), "u is throttled with *");
        assertFalse(q.holdsBack(t0, false), "under the rate");
        q.record(5_000);
        assertTrue(q.isQuotaExceeded(), "5000 bytes within a second > 100 bytes/s");
        assertTrue(q.holdsBack(t0, false));
        assertFalse(q.holdsBack(t0, true), "an in-sync replica is never held back");
        assertFalse(q.holdsBack(t1, false), "an unthrottled partition is never held back");
        now.addAndGet(12_000);
        assertFalse(q.holdsBack(t0, false), "the window moved on");
    }
}
