package io.runnel.jepsen.check;

import static io.runnel.jepsen.check.TxnHistoryBuilder.poll;
import static io.runnel.jepsen.check.TxnHistoryBuilder.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.jepsen.check.Anomaly.Kind;
import io.runnel.jepsen.history.Op;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link TxnChecker} on hand-made histories: each anomaly kind, and the history next to it that has none. */
class TxnCheckerTest {

    private static CheckResult check(TxnHistoryBuilder h) {
        return TxnChecker.check(h.ops());
    }

    private static List<Anomaly> of(CheckResult r, Kind kind) {
        return r.anomalies().stream().filter(a -> a.kind() == kind).toList();
    }

    private static Map<Kind, Long> kinds(CheckResult r) {
        return r.anomalies().stream().collect(Collectors.groupingBy(Anomaly::kind, Collectors.counting()));
    }

    @Test
    void aSerialHistoryIsValid() {
        TxnHistoryBuilder h = new TxnHistoryBuilder();
        h.assign(0, 0, 1);
        h.ok(0, send(0, 0, 0), send(1, 0, 0));
        h.ok(1, send(0, 1, 1), poll(0, 0, 0));
        h.aborted(0, send(0, 2, -1));
        h.ok(0, poll(0, 0, 0, 1, 1), poll(1, 0, 0));
        h.drain(1000, 0, 0, 0, 1, 1);
        h.drain(1000, 1, 0, 0);
        CheckResult r = check(h);
        assertEquals(List.of(), r.anomalies());
        assertTrue(r.valid());
        assertEquals(Kind.TXN, r.kinds());
        assertEquals(4, r.sends());
        assertEquals(3, r.acked());
        assertEquals(1, r.failed());
        assertEquals(3, r.readValues());
    }

    @Test
    void readingAnAbortedTransactionsValueIsAnAbortedRead() {
        TxnHistoryBuilder h = new TxnHistoryBuilder();
        long aborted = h.aborted(0, send(0, 7, 0));
        long reader = h.ok(1, poll(0, 0, 7));
        h.drain(1000, 0, 0, 7);
        CheckResult r = check(h);
        List<Anomaly> a = of(r, Kind.ABORTED_READ);
        assertEquals(1, a.size(), r.anomalies()::toString);
        assertEquals(List.of(aborted, reader, reader + 2), a.get(0).opIndexes());
        assertTrue(a.get(0).description().contains("value 7") && a.get(0).description().contains("aborted by the "
                + "worker"), a.get(0).description());
        assertFalse(r.valid());
    }

    @Test
    void readingAFailedTransactionsValueOrAValueNobodySentIsAnAbortedRead() {
        TxnHistoryBuilder h = new TxnHistoryBuilder();
        h.error(0, Op.Type.FAIL, send(0, 3, 0));
        h.ok(1, poll(0, 0, 3, 1, 99));
        CheckResult r = check(h);
        List<Anomaly> a = of(r, Kind.ABORTED_READ);
        assertEquals(2, a.size(), r.anomalies()::toString);
        assertTrue(a.get(0).description().contains("failed"), a.get(0).description());
        assertTrue(a.get(1).description().contains("no transaction sent it"), a.get(1).description());
    }

    @Test
    void anAbortedTransactionNobodyReadAndAnInfoTransactionSomeoneReadAreFine() {
        TxnHistoryBuilder h = new TxnHistoryBuilder();
        h.aborted(0, send(0, 1, 0));
        h.error(0, Op.Type.INFO, send(0, 2, 0));
        h.ok(1, poll(0, 1, 2));
        h.drain(1000, 0, 1, 2);
        CheckResult r = check(h);
        assertEquals(List.of(), r.anomalies());
        assertTrue(r.valid());
        assertEquals(1, r.unknown());
    }

    @Test
    void anOkSendNobodyReadBelowAReadOffsetIsLost() {
        TxnHistoryBuilder h = new TxnHistoryBuilder();
        long lost = h.ok(0, send(0, 0, 0));
        h.ok(0, send(0, 1, 1));
        h.drain(1000, 0, 1, 1);
        CheckResult r = check(h);
        List<Anomaly> a = of(r, Kind.LOST_WRITE);
        assertEquals(1, a.size(), r.anomalies()::toString);
        assertEquals(lost, a.get(0).opIndexes().get(0));
        assertEquals(1, of(r, Kind.UNSEEN).size());
        assertFalse(r.valid());
    }

    @Test
    void anOkSendAboveEveryReadIsUnseenNotLostAndUnseenMakesTheRunInvalid() {
        TxnHistoryBuilder h = new TxnHistoryBuilder();
        h.ok(0, send(0, 0, 0));
        h.ok(0, send(0, 1, 1));
        h.drain(1000, 0, 0, 0);
        CheckResult r = check(h);
        assertEquals(Map.of(Kind.UNSEEN, 1L), kinds(r));
        assertFalse(r.valid(), "the drain runs once no transaction is open: a committed send it missed is lost");
    }

    @Test
    void oneValueAtTwoOffsetsIsADuplicateAndTwoValuesAtOneOffsetInconsistent() {
        TxnHistoryBuilder h = new TxnHistoryBuilder();
        h.ok(0, send(0, 5, 0));
        h.ok(1, poll(0, 0, 5, 1, 5));
        h.ok(0, send(1, 8, 0));
        h.ok(1, poll(1, 0, 9));
        CheckResult r = check(h);
        assertEquals(1, of(r, Kind.DUPLICATE).size(), r.anomalies()::toString);
        assertEquals(1, of(r, Kind.INCONSISTENT_OFFSETS).size(), r.anomalies()::toString);
        assertFalse(r.valid());
    }

    @Test
    void aSkippedOffsetIsAPollSkipUnlessTheConsumerWasReassigned() {
        TxnHistoryBuilder h = new TxnHistoryBuilder();
        h.ok(0, send(0, 0, 0), send(0, 1, 1), send(0, 2, 2));
        h.assign(1, 0);
        h.ok(1, poll(0, 0, 0));
        h.ok(1, poll(0, 2, 2));
        h.drain(1000, 0, 0, 0, 1, 1, 2, 2);
        CheckResult r = check(h);
        assertEquals(Map.of(Kind.POLL_SKIP, 1L), kinds(r));
        assertFalse(r.valid());

        TxnHistoryBuilder reset = new TxnHistoryBuilder();
        reset.ok(0, send(0, 0, 0), send(0, 1, 1), send(0, 2, 2));
        reset.ok(1, poll(0, 0, 0));
        reset.assign(1, 0);
        reset.ok(1, poll(0, 2, 2));
        reset.drain(1000, 0, 0, 0, 1, 1, 2, 2);
        assertEquals(List.of(), check(reset).anomalies());
    }

    @Test
    void readingBackwardsIsANonmonotonicPoll() {
        TxnHistoryBuilder h = new TxnHistoryBuilder();
        h.ok(0, send(0, 0, 0), send(0, 1, 1));
        h.ok(1, poll(0, 0, 0, 1, 1), poll(0, 0, 0));
        h.drain(1000, 0, 0, 0, 1, 1);
        CheckResult r = check(h);
        assertEquals(Map.of(Kind.NONMONOTONIC_POLL, 1L), kinds(r));
        assertFalse(r.valid());
    }

    @Test
    void crossedWriteOrdersAreAG0WhichKafkaAllows() {
        TxnHistoryBuilder h = new TxnHistoryBuilder();
        long t1 = h.ok(0, send(0, 0, 0), send(1, 1, 1));
        long t2 = h.ok(1, send(0, 1, 1), send(1, 0, 0));
        h.drain(1000, 0, 0, 0, 1, 1);
        h.drain(1000, 1, 0, 0, 1, 1);
        CheckResult r = check(h);
        List<Anomaly> g0 = of(r, Kind.G0);
        assertEquals(Map.of(Kind.G0, 1L), kinds(r));
        assertEquals(List.of(t1, t2), g0.get(0).opIndexes().stream().sorted().toList());
        assertTrue(g0.get(0).description().startsWith("2 committed transactions in a cycle"),
                g0.get(0).description());
        assertTrue(r.valid(), "G0 is reported, not forbidden");
    }

    @Test
    void agreeingWriteOrdersMakeNoCycle() {
        TxnHistoryBuilder h = new TxnHistoryBuilder();
        h.ok(0, send(0, 0, 0), send(1, 0, 0));
        h.ok(1, send(0, 1, 1), send(1, 1, 1), poll(0, 0, 0));
        h.drain(1000, 0, 0, 0, 1, 1);
        h.drain(1000, 1, 0, 0, 1, 1);
        assertEquals(List.of(), check(h).anomalies());
    }

    @Test
    void aReadAgainstTheWriteOrderIsAG1cWhichKafkaAllows() {
        TxnHistoryBuilder h = new TxnHistoryBuilder();
        h.ok(0, send(0, 0, 0), send(1, 11, 1));
        h.ok(1, send(1, 10, 0), poll(0, 0, 0));
        h.drain(1000, 0, 0, 0);
        h.drain(1000, 1, 0, 10, 1, 11);
        CheckResult r = check(h);
        assertEquals(Map.of(Kind.G1C, 1L), kinds(r));
        assertTrue(of(r, Kind.G1C).get(0).description().contains("-wr p0 value 0->"),
                of(r, Kind.G1C).get(0).description());
        assertTrue(r.valid(), "G1c with ww edges is reported, not forbidden");
    }

    @Test
    void transactionsReadingEachOthersWritesAreAForbiddenG1cWr() {
        TxnHistoryBuilder h = new TxnHistoryBuilder();
        h.ok(0, send(0, 0, 0), poll(1, 0, 10));
        h.ok(1, send(1, 10, 0), poll(0, 0, 0));
        h.drain(1000, 0, 0, 0);
        h.drain(1000, 1, 0, 10);
        CheckResult r = check(h);
        assertEquals(Map.of(Kind.G1C, 1L, Kind.G1C_WR, 1L), kinds(r));
        assertFalse(r.valid());
    }

    @Test
    void theComponentsOfALongRingAndOfDisjointCyclesAreFoundWithoutRecursion() {
        int n = 200_000;
        int[][] ring = new int[n + 3][];
        for (int v = 0; v < n; v++) {
            ring[v] = new int[] {(v + 1) % n};
        }
        ring[n] = new int[] {n + 1};
        ring[n + 1] = new int[] {n};
        ring[n + 2] = new int[] {0};
        List<int[]> sccs = Tarjan.components(ring);
        assertEquals(2, sccs.size());
        assertEquals(java.util.Set.of(n, 2), sccs.stream().map(c -> c.length).collect(Collectors.toSet()));
        assertEquals(List.of(), Tarjan.components(new int[][] {{1}, {2}, {}}));
    }
}
