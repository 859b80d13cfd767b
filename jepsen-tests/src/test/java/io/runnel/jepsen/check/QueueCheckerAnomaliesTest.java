package io.runnel.jepsen.check;

import io.runnel.jepsen.check.Anomaly.Kind;
import io.runnel.jepsen.history.Op;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static io.runnel.jepsen.check.HistoryBuilder.readsOf;
import static io.runnel.jepsen.check.QueueCheckerTest.assertOnly;
import static io.runnel.jepsen.check.QueueCheckerTest.assertValid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-written queue histories with each anomaly kind on its own ({@link QueueCheckerTest} has the valid ones). */
class QueueCheckerAnomaliesTest {

    @Test
    void lostWrite() {
        HistoryBuilder h = new HistoryBuilder();
        long lost = h.sendOk(0, 1, 42, 0);
        h.sendOk(0, 1, 43, 1);
        h.sendOk(0, 1, 44, 2);
        // Nobody reads across offset 0 (log start seen as 1), so only the loss itself shows.
        h.poll(5, 1, 1, 43);
        long highest = h.poll(5, 1, 2, 44);
        h.drain(9, 1, 1, 43, 2, 44);
        CheckResult r = QueueChecker.check(h.ops());
        // A lost value is never read by a drain either: lost writes always come with their unseen.
        assertOnly(r, Map.of(Kind.LOST_WRITE, 1, Kind.UNSEEN, 1));
        Anomaly a = r.anomalies().get(0);
        assertEquals(Kind.LOST_WRITE, a.kind());
        assertEquals(1, a.partition());
        assertEquals(List.of(lost, highest), a.opIndexes());
        assertEquals("partition 1: value 42 acknowledged at offset 0 (op " + lost + ") was never read; offset 2 was"
                + " read (op " + highest + ")", a.description());
        Anomaly u = r.anomalies().get(1);
        assertEquals(List.of(lost), u.opIndexes());
        assertFalse(r.valid());
    }

    @Test
    void aLostWriteInTheMiddleIsAlsoSkippedOverByItsReaders() {
        HistoryBuilder h = new HistoryBuilder();
        h.sendOk(0, 0, 10, 0);
        long lost = h.sendOk(0, 0, 11, 1);
        h.sendOk(0, 0, 12, 2);
        h.assign(5, 0);
        h.poll(5, 0, 0, 10, 2, 12);
        h.drain(9, 0, 0, 10, 2, 12);
        CheckResult r = QueueChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.LOST_WRITE, 1, Kind.UNSEEN, 1, Kind.POLL_SKIP, 2));
        assertEquals(lost, r.anomalies().get(0).opIndexes().get(0));
    }

    @Test
    void anUnreadValueAtTheHighestOffsetIsUnseenNotLost() {
        HistoryBuilder h = new HistoryBuilder();
        h.sendOk(0, 0, 10, 0);
        h.sendOk(0, 0, 11, 1);
        h.poll(5, 0, 0, 10);
        h.drain(9, 0, 0, 10);
        assertOnly(QueueChecker.check(h.ops()), Map.of(Kind.UNSEEN, 1));
    }

    @Test
    void unseen() {
        HistoryBuilder h = new HistoryBuilder();
        h.sendOk(0, 2, 10, 0);
        h.sendOk(0, 2, 11, 1);
        long unseen = h.sendOk(0, 2, 12, 2);
        h.poll(5, 2, 0, 10, 1, 11, 2, 12);
        h.drain(9, 2, 0, 10, 1, 11);
        CheckResult r = QueueChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.UNSEEN, 1));
        Anomaly a = r.anomalies().get(0);
        assertEquals(2, a.partition());
        assertEquals(List.of(unseen), a.opIndexes());
        assertEquals("partition 2: value 12 acknowledged at offset 2 (op " + unseen + ") was not read by any drain",
                a.description());
        assertTrue(r.drainComplete());
    }

    @Test
    void withoutADrainEveryAcknowledgedValueIsUnseen() {
        HistoryBuilder h = new HistoryBuilder();
        h.sendOk(0, 0, 10, 0);
        h.sendOk(0, 0, 11, 1);
        h.sendOk(0, 1, 12, 0);
        h.sendInfo(0, 1, 13);
        h.poll(5, readsOf(0, new long[] {0, 10, 1, 11}, 1, new long[] {0, 12}));
        CheckResult r = QueueChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.UNSEEN, 3));
        assertTrue(r.anomalies().get(0).description().endsWith("was not read: no drain completed"));
        assertFalse(r.drainComplete());
    }

    @Test
    void duplicate() {
        HistoryBuilder h = new HistoryBuilder();
        long first = h.sendOk(0, 0, 1, 0);
        h.sendOk(0, 0, 2, 1);
        long drain = h.drain(9, 0, 0, 1, 1, 2, 2, 1);
        CheckResult r = QueueChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.DUPLICATE, 1));
        Anomaly a = r.anomalies().get(0);
        assertEquals(List.of(first, drain), a.opIndexes());
        assertEquals("partition 0: value 1 is at 2 offsets: 0 (ops " + first + ", " + drain + "), 2 (op " + drain
                + ")", a.description());
    }

    @Test
    void inconsistentOffsets() {
        HistoryBuilder h = new HistoryBuilder();
        h.sendInfo(0, 0, 10);
        h.sendInfo(0, 0, 11);
        h.sendInfo(0, 0, 12);
        long poll = h.poll(5, 0, 0, 10, 1, 11);
        long drain = h.drain(9, 0, 0, 10, 1, 12);
        CheckResult r = QueueChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.INCONSISTENT_OFFSETS, 1));
        Anomaly a = r.anomalies().get(0);
        assertEquals(List.of(poll, drain), a.opIndexes());
        assertEquals("partition 0: offset 1 holds 2 values: 11 (op " + poll + "), 12 (op " + drain + ")",
                a.description());
    }

    @Test
    void aTruncatedTailOverwrittenByANewLeaderIsOneInconsistencyPerOffset() {
        HistoryBuilder h = new HistoryBuilder();
        h.sendOk(0, 0, 10, 0);
        h.sendOk(0, 0, 11, 1);
        h.sendOk(0, 0, 12, 2);
        h.sendOk(0, 0, 13, 3);
        h.poll(5, 0, 0, 10, 1, 11, 2, 12, 3, 13);
        // a new leader without offsets 1..3 took writes 21..23 there, and everyone read them
        h.sendOk(1, 0, 21, 1);
        h.sendOk(1, 0, 22, 2);
        h.sendOk(1, 0, 23, 3);
        h.drain(9, 0, 0, 10, 1, 21, 2, 22, 3, 23);
        CheckResult r = QueueChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.INCONSISTENT_OFFSETS, 3, Kind.UNSEEN, 3));
    }

    @Test
    void anAcknowledgementContradictingTheReadsIsInconsistentAndLost() {
        HistoryBuilder h = new HistoryBuilder();
        h.sendOk(0, 0, 10, 0);
        long ack = h.sendOk(0, 0, 11, 1);
        h.sendInfo(1, 0, 12);
        h.sendOk(0, 0, 13, 2);
        long drain = h.drain(9, 0, 0, 10, 1, 12, 2, 13);
        CheckResult r = QueueChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.INCONSISTENT_OFFSETS, 1, Kind.LOST_WRITE, 1, Kind.UNSEEN, 1));
        Anomaly inconsistent = r.anomalies().stream().filter(a -> a.kind() == Kind.INCONSISTENT_OFFSETS)
                .findFirst().orElseThrow();
        assertEquals(List.of(ack, drain), inconsistent.opIndexes());
    }

    @Test
    void nonmonotonicPoll() {
        HistoryBuilder h = new HistoryBuilder();
        for (int o = 0; o < 6; o++) {
            h.sendOk(0, 0, 10 + o, o);
        }
        h.assign(5, 0);
        long p1 = h.poll(5, 0, 0, 10, 1, 11, 2, 12);
        long p2 = h.poll(5, 0, 1, 11, 2, 12, 3, 13); // 1 after 2
        long p3 = h.poll(5, 0, 4, 14, 3, 13); // 3 after 4, within one poll
        h.poll(5, 0, 4, 14, 5, 15);
        h.drain(9, 0, 0, 10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15);
        CheckResult r = QueueChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.NONMONOTONIC_POLL, 2));
        assertEquals(List.of(p1, p2), r.anomalies().get(0).opIndexes());
        assertEquals("partition 0: process 5 read offset 1 (op " + p2 + ") after offset 2 (op " + p1 + ")",
                r.anomalies().get(0).description());
        assertEquals(List.of(p3), r.anomalies().get(1).opIndexes());
    }

    @Test
    void pollSkip() {
        HistoryBuilder h = new HistoryBuilder();
        for (int o = 0; o < 5; o++) {
            h.sendOk(0, 0, 10 + o, o);
        }
        h.assign(5, 0);
        long p1 = h.poll(5, 0, 0, 10, 1, 11);
        long p2 = h.poll(5, 0, 3, 13, 4, 14);
        h.drain(9, 0, 0, 10, 1, 11, 2, 12, 3, 13, 4, 14);
        CheckResult r = QueueChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.POLL_SKIP, 1));
        Anomaly a = r.anomalies().get(0);
        assertEquals(List.of(p1, p2), a.opIndexes());
        assertEquals("partition 0: process 5 read offset 3 (op " + p2 + ") right after offset 1 (op " + p1
                + "), skipping 1 known offset", a.description());
    }

    @Test
    void aDrainThatSkipsIsAPollSkip() {
        HistoryBuilder h = new HistoryBuilder();
        h.sendOk(0, 0, 10, 0);
        h.sendInfo(0, 0, 11);
        h.sendOk(0, 0, 12, 2);
        h.poll(5, 0, 0, 10, 1, 11, 2, 12);
        long d1 = h.drain(9, 0, 0, 10);
        long d2 = h.drain(9, 0, 2, 12);
        CheckResult r = QueueChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.POLL_SKIP, 1));
        assertEquals(List.of(d1, d2), r.anomalies().get(0).opIndexes());
        assertTrue(r.anomalies().get(0).description().contains("drain process 9"));
    }

    @Test
    void nonmonotonicSend() {
        HistoryBuilder h = new HistoryBuilder();
        long s1 = h.sendOk(0, 0, 1, 5);
        long s2 = h.sendOk(0, 0, 2, 3);
        h.sendOk(0, 1, 3, 0); // another partition: its own sequence
        h.sendInfo(1, 0, 9);
        h.drain(9, readsOf(0, new long[] {3, 2, 4, 9, 5, 1}, 1, new long[] {0, 3}));
        CheckResult r = QueueChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.NONMONOTONIC_SEND, 1));
        assertEquals(List.of(s1, s2), r.anomalies().get(0).opIndexes());
        assertEquals("partition 0: process 0's send of value 2 was acknowledged at offset 3 (op " + s2 + ") after its"
                + " send of value 1 at offset 5 (op " + s1 + ")", r.anomalies().get(0).description());
    }

    @Test
    void aCrashStartsANewProducerLifetime() {
        HistoryBuilder h = new HistoryBuilder();
        h.sendOk(0, 0, 1, 5);
        h.crash(0);
        h.sendOk(0, 0, 2, 3);
        h.sendInfo(1, 0, 9);
        h.drain(9, 0, 3, 2, 4, 9, 5, 1);
        assertValid(h);
    }

    @Test
    void anomaliesAreSortedByKindThenPartitionThenFirstOp() {
        HistoryBuilder h = new HistoryBuilder();
        h.sendOk(0, 1, 1, 5);
        h.sendOk(0, 1, 2, 3); // nonmonotonic send, partition 1
        h.sendOk(0, 0, 3, 0); // unseen, partition 0
        h.sendOk(0, 1, 4, 9); // unseen, partition 1
        h.poll(5, 1, 3, 2, 5, 1); // known offsets of partition 1: 3, 5, 9; 3 -> 5 is one step
        h.poll(5, 1, 3, 2); // nonmonotonic poll
        h.poll(6, readsOf(0, new long[] {0, 3}, 1, new long[] {9, 4}));
        h.drain(9, 1, 3, 2, 9, 4); // the drain skips offset 5 and never reads value 1
        CheckResult r = QueueChecker.check(h.ops());
        List<Anomaly> sorted = new ArrayList<>(r.anomalies());
        sorted.sort(java.util.Comparator.comparing(Anomaly::kind).thenComparingInt(Anomaly::partition)
                .thenComparingLong(a -> a.opIndexes().get(0)));
        assertEquals(sorted, r.anomalies());
        assertOnly(r, Map.of(Kind.UNSEEN, 2, Kind.NONMONOTONIC_POLL, 1, Kind.POLL_SKIP, 1,
                Kind.NONMONOTONIC_SEND, 1));
        assertEquals(List.of(Kind.UNSEEN, Kind.UNSEEN), List.of(r.anomalies().get(0).kind(),
                r.anomalies().get(1).kind()));
        assertEquals(0, r.anomalies().get(0).partition());
        assertEquals(1, r.anomalies().get(1).partition());
    }
}
