package io.runnel.jepsen.check;

import io.runnel.jepsen.check.Anomaly.Kind;
import io.runnel.jepsen.history.Op;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static io.runnel.jepsen.check.HistoryBuilder.readsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-written valid queue histories that must report nothing ({@link QueueCheckerAnomaliesTest}: each anomaly). */
class QueueCheckerTest {

    // ---- valid histories ----

    @Test
    void aPlainHistoryIsValidAndCounted() {
        HistoryBuilder h = new HistoryBuilder();
        h.sendOk(0, 0, 10, 0);
        h.sendOk(0, 0, 11, 1);
        h.sendOk(1, 1, 20, 0);
        h.sendFail(1, 1, 21);
        h.sendInfo(1, 1, 22);
        h.assign(5, 0, 1);
        h.poll(5, 0, 0, 10);
        h.poll(5, readsOf(0, new long[] {1, 11}, 1, new long[] {0, 20}));
        h.assign(9, 0, 1);
        h.drain(9, readsOf(0, new long[] {0, 10, 1, 11}, 1, new long[] {0, 20}));
        CheckResult r = QueueChecker.check(h.ops());
        assertEquals(List.of(), r.anomalies());
        assertTrue(r.valid());
        assertTrue(r.drainComplete());
        assertEquals(5, r.sends());
        assertEquals(3, r.acked());
        assertEquals(1, r.failed());
        assertEquals(1, r.unknown());
        assertEquals(3, r.readValues());
    }

    @Test
    void readValuesAreDistinctPartitionValuePairs() {
        HistoryBuilder h = new HistoryBuilder();
        h.sendOk(0, 0, 7, 0);
        h.sendOk(0, 1, 7, 0);
        h.poll(5, readsOf(0, new long[] {0, 7}, 1, new long[] {0, 7}));
        h.poll(6, 0, 0, 7);
        h.drain(9, readsOf(0, new long[] {0, 7}, 1, new long[] {0, 7}));
        CheckResult r = QueueChecker.check(h.ops());
        assertTrue(r.valid(), r.anomalies()::toString);
        assertEquals(2, r.readValues());
    }

    @Test
    void gapsInOffsetsAreNotSkips() {
        HistoryBuilder h = new HistoryBuilder();
        long[] offsets = {0, 1, 3, 4, 7};
        for (int i = 0; i < offsets.length; i++) {
            h.sendOk(0, 0, 100 + i, offsets[i]);
        }
        h.assign(5, 0);
        h.poll(5, 0, 0, 100, 1, 101);
        h.poll(5, 0, 3, 102, 4, 103);
        h.poll(5, 0, 7, 104);
        h.drain(9, 0, 0, 100, 1, 101, 3, 102);
        h.drain(9, 0, 4, 103, 7, 104);
        assertValid(h);
    }

    @Test
    void anInfoSendNobodyReadIsNotAnAnomaly() {
        HistoryBuilder h = new HistoryBuilder();
        h.sendOk(0, 0, 1, 0);
        h.sendInfo(0, 0, 2);
        h.sendOk(0, 0, 3, 1);
        h.poll(5, 0, 0, 1, 1, 3);
        h.drain(9, 0, 0, 1, 1, 3);
        CheckResult r = assertValid(h);
        assertEquals(1, r.unknown());
    }

    @Test
    void anInfoSendSomeoneReadIsPartOfTheLog() {
        HistoryBuilder h = new HistoryBuilder();
        h.sendOk(0, 0, 1, 0);
        h.sendInfo(0, 0, 2);
        h.sendOk(0, 0, 3, 2);
        h.poll(5, 0, 0, 1, 1, 2, 2, 3);
        h.drain(9, 0, 0, 1, 1, 2, 2, 3);
        CheckResult r = assertValid(h);
        assertEquals(3, r.readValues());
    }

    @Test
    void aFailedSendIsNotAnAnomaly() {
        HistoryBuilder h = new HistoryBuilder();
        h.sendOk(0, 0, 1, 0);
        h.sendFail(0, 0, 2);
        h.drain(9, 0, 0, 1);
        assertValid(h);
    }

    @Test
    void aRebalanceMayMoveAPartitionBackward() {
        HistoryBuilder h = new HistoryBuilder();
        for (int o = 0; o < 5; o++) {
            h.sendOk(0, 0, 10 + o, o);
        }
        h.sendOk(0, 1, 20, 0);
        h.subscribe(5, 0, 1);
        h.rebalance(5, 0, 1);
        h.poll(5, readsOf(0, new long[] {0, 10, 1, 11, 2, 12}, 1, new long[] {0, 20}));
        h.rebalance(5, 0); // resumes partition 0 at its committed offset 1
        h.poll(5, 0, 1, 11, 2, 12, 3, 13);
        h.rebalance(5, 0, 1);
        h.poll(5, readsOf(0, new long[] {2, 12, 3, 13, 4, 14}, 1, new long[] {0, 20}));
        h.drain(9, readsOf(0, new long[] {0, 10, 1, 11, 2, 12, 3, 13, 4, 14}, 1, new long[] {0, 20}));
        assertValid(h);
    }

    @Test
    void aCrashedConsumerMayReadFromTheStartAgain() {
        HistoryBuilder h = new HistoryBuilder();
        for (int o = 0; o < 4; o++) {
            h.sendOk(0, 0, 10 + o, o);
        }
        h.assign(5, 0);
        h.poll(5, 0, 0, 10, 1, 11, 2, 12);
        h.crash(5);
        h.poll(5, 0, 0, 10, 1, 11);
        h.crash(5);
        h.assign(5, 0);
        h.poll(5, 0, 0, 10, 1, 11, 2, 12, 3, 13);
        h.drain(9, 0, 0, 10, 1, 11, 2, 12, 3, 13);
        assertValid(h);
    }

    @Test
    void aPollThatDidNotCompleteOkRestartsTheConsumersOrder() {
        HistoryBuilder h = new HistoryBuilder();
        for (int o = 0; o < 4; o++) {
            h.sendOk(0, 0, 10 + o, o);
        }
        h.assign(5, 0);
        h.poll(5, 0, 0, 10, 1, 11);
        h.pollError(5, Op.Type.INFO);
        h.poll(5, 0, 0, 10, 1, 11, 2, 12);
        h.pollError(5, Op.Type.FAIL);
        h.poll(5, 0, 1, 11, 2, 12, 3, 13);
        h.drain(9, 0, 0, 10, 1, 11, 2, 12, 3, 13);
        assertValid(h);
    }

    @Test
    void aDrainIsCheckedApartFromTheSameProcesssPolls() {
        HistoryBuilder h = new HistoryBuilder();
        for (int o = 0; o < 3; o++) {
            h.sendOk(0, 0, 10 + o, o);
        }
        h.assign(5, 0);
        h.poll(5, 0, 0, 10, 1, 11, 2, 12);
        h.drain(5, 0, 0, 10, 1, 11);
        h.drain(5, 0, 2, 12);
        assertValid(h);
    }

    @Test
    void aDrainThatCouldNotFinishLeavesTheDrainIncomplete() {
        HistoryBuilder h = new HistoryBuilder();
        h.sendOk(0, 0, 1, 0);
        h.drain(9, 0, 0, 1);
        h.drainInfo(10);
        CheckResult r = QueueChecker.check(h.ops());
        assertEquals(List.of(), r.anomalies());
        assertFalse(r.drainComplete());
        assertFalse(r.valid());
    }

    @Test
    void anEmptyHistoryHasNoAnomaliesButNoDrainEither() {
        CheckResult r = QueueChecker.check(List.of());
        assertEquals(List.of(), r.anomalies());
        assertFalse(r.drainComplete());
        assertFalse(r.valid());
    }

    // ---- helpers ----

    static CheckResult assertValid(HistoryBuilder h) {
        CheckResult r = QueueChecker.check(h.ops());
        assertEquals(List.of(), r.anomalies());
        assertTrue(r.valid());
        return r;
    }

    /** Asserts that {@code r} has exactly {@code expected} anomalies of each queue kind (0 for kinds not named). */
    static void assertOnly(CheckResult r, Map<Kind, Integer> expected) {
        Map<Kind, Integer> want = new EnumMap<>(Kind.class);
        for (Kind k : Kind.QUEUE) {
            want.put(k, expected.getOrDefault(k, 0));
        }
        assertEquals(want, r.counts(), () -> "anomalies: " + r.anomalies());
    }
}
