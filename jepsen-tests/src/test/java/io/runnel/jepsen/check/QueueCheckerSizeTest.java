package io.runnel.jepsen.check;

import io.runnel.jepsen.check.Anomaly.Kind;
import io.runnel.jepsen.history.Op;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checker on histories of 500,000 entries ({@link LargeHistory}), the size of a long run: the right verdict,
 * anomalies or not. (How fast it is, is not asserted here: tests do not time things. On this 2-core machine each
 * check took about 1 to 3 s.)
 */
class QueueCheckerSizeTest {

    @Test
    void aValidHistoryOf500000OpsIsValid() {
        CheckResult r = QueueChecker.check(LargeHistory.build(500_000, false));
        assertEquals(List.of(), r.anomalies());
        assertTrue(r.valid());
    }

    @Test
    void aHistoryOf500000OpsFullOfAnomaliesReportsThemAll() {
        List<Op> ops = LargeHistory.build(500_000, true);
        CheckResult r = QueueChecker.check(ops);
        Map<Kind, Integer> counts = r.counts();
        assertEquals(r.acked(), (long) counts.get(Kind.INCONSISTENT_OFFSETS));
        assertEquals(r.acked(), (long) counts.get(Kind.UNSEEN));
        assertTrue(counts.get(Kind.LOST_WRITE) > 0);
        assertTrue(counts.get(Kind.POLL_SKIP) > 0);
    }
}
