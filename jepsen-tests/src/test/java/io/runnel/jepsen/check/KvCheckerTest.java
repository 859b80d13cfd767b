package io.runnel.jepsen.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.jepsen.check.Anomaly.Kind;
import io.runnel.jepsen.history.HistoryJson;
import io.runnel.jepsen.history.Op;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hand-written kv histories (key k in partition k % 2; triples are offset, key, version): each anomaly kind on its
 * own with the ops that show it, and valid histories, compacted ones included, that must report nothing.
 */
class KvCheckerTest {

    private static void assertOnly(CheckResult r, Map<Kind, Integer> expected) {
        Map<Kind, Integer> want = new EnumMap<>(Kind.class);
        for (Kind k : Kind.KV) {
            want.put(k, expected.getOrDefault(k, 0));
        }
        assertEquals(want, r.counts(), r.anomalies()::toString);
        assertFalse(r.valid());
    }

    private static Anomaly only(CheckResult r, Kind kind) {
        List<Anomaly> of = r.anomalies().stream().filter(a -> a.kind() == kind).toList();
        assertEquals(1, of.size(), r.anomalies()::toString);
        return of.get(0);
    }

    // ---- valid histories ----

    @Test
    void aCompactedHistoryIsValidAndCounted() {
        KvHistoryBuilder h = new KvHistoryBuilder();
        h.writeOk(0, 0, 0, 0);
        h.writeOk(1, 1, 0, 0);
        h.read(5, 0, 0, 0, 0, 1, 0);
        h.writeOk(0, 0, 1, 1);
        h.writeOk(0, 0, 2, 2);
        h.writeError(1, Op.Type.FAIL, 1, 1);
        h.writeOk(1, 1, 2, 1);
        h.read(5, 0, 0, 0, 1, 0, 1, 2, 0, 2, 0, 1, 0, 1, 1, 2);
        // compaction removed offsets 0 and 1 of partition 0 and offset 0 of partition 1
        h.read(5, 2, 0, 2, 1, 1, 2);
        h.writeError(0, Op.Type.INFO, 0, 3);
        h.drain(2, 0, 2, 1, 1, 2);
        CheckResult r = KvChecker.check(h.ops());
        assertEquals(List.of(), r.anomalies());
        assertTrue(r.valid());
        assertEquals(Kind.KV, r.counts().keySet());
        assertEquals(7, r.sends());
        assertEquals(5, r.acked());
        assertEquals(1, r.failed());
        assertEquals(1, r.unknown());
        assertEquals(5, r.readValues());
    }

    @Test
    void anUnknownWriteMayBeTheLatestEvenBelowAnAcknowledgedVersion() {
        // version 1's outcome is unknown: it may have been appended after version 2 (a zombie request)
        KvHistoryBuilder h = new KvHistoryBuilder();
        h.writeOk(0, 0, 0, 0);
        h.writeError(0, Op.Type.INFO, 0, 1);
        h.writeOk(0, 0, 2, 1);
        h.read(5, 0, 0, 0, 1, 0, 2, 2, 0, 1);
        h.read(5, 2, 0, 1);
        h.drain(2, 0, 1);
        assertTrue(KvChecker.check(h.ops()).valid(), () -> KvChecker.check(h.ops()).anomalies().toString());
    }

    @Test
    void aNewerUnknownWriteMaySupersedeTheLatestAcknowledgedOne() {
        KvHistoryBuilder h = new KvHistoryBuilder();
        h.writeOk(0, 0, 0, 0);
        h.writeError(0, Op.Type.INFO, 0, 1);
        h.drain(1, 0, 1);
        assertTrue(KvChecker.check(h.ops()).valid(), () -> KvChecker.check(h.ops()).anomalies().toString());
    }

    @Test
    void differentReadersAreNotComparedWithEachOther() {
        // reader 6 is behind reader 5 while both run: only each reader's own passes (and the drain) must not go back
        KvHistoryBuilder h = new KvHistoryBuilder();
        h.writeOk(0, 0, 0, 0);
        h.writeOk(0, 0, 1, 1);
        h.read(5, 0, 0, 0, 1, 0, 1);
        h.read(6, 0, 0, 0);
        h.drain(0, 0, 0, 1, 0, 1);
        assertTrue(KvChecker.check(h.ops()).valid(), () -> KvChecker.check(h.ops()).anomalies().toString());
    }

    @Test
    void aPassThatStoppedShortOfANewerVersionMayMissTheKey() {
        // key 0's versions 0 and 1 share partition 0 with key 2; the cleaner removed version 0 (superseded by version
        // 1 at offset 2) while the second pass read, and that pass stopped at offset 1, the end it took at its start
        KvHistoryBuilder h = new KvHistoryBuilder();
        h.writeOk(0, 0, 0, 0);
        h.writeOk(1, 2, 0, 1);
        h.read(5, 0, 0, 0, 1, 2, 0);
        h.writeOk(0, 0, 1, 2);
        h.read(5, 1, 2, 0);
        h.drain(1, 2, 0, 2, 0, 1);
        assertTrue(KvChecker.check(h.ops()).valid(), () -> KvChecker.check(h.ops()).anomalies().toString());
    }

    // ---- anomalies ----

    @Test
    void anAcknowledgedVersionNewerThanTheDrainsLatestIsALostUpdate() {
        KvHistoryBuilder h = new KvHistoryBuilder();
        long w1 = h.writeOk(0, 0, 1, 0);
        long w2 = h.writeOk(0, 0, 2, 1);
        long d = h.drain(0, 0, 1);
        CheckResult r = KvChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.LOST_UPDATE, 1));
        Anomaly a = only(r, Kind.LOST_UPDATE);
        assertEquals(List.of(w2, d, w1), a.opIndexes());
        assertEquals(0, a.partition());
        assertTrue(a.description().contains("key 0: version 2 was acknowledged"), a.description());
    }

    @Test
    void aKeyMissingFromTheDrainIsALostUpdate() {
        KvHistoryBuilder h = new KvHistoryBuilder();
        long w = h.writeOk(0, 1, 0, 0);
        h.writeOk(0, 0, 0, 0);
        h.drain(0, 0, 0);
        CheckResult r = KvChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.LOST_UPDATE, 1));
        assertEquals(List.of(w), only(r, Kind.LOST_UPDATE).opIndexes());
        assertEquals(1, only(r, Kind.LOST_UPDATE).partition());
    }

    @Test
    void aLowerVersionAtALaterOffsetWithinOnePassIsARegression() {
        KvHistoryBuilder h = new KvHistoryBuilder();
        long w1 = h.writeOk(0, 0, 1, 0);
        long w2 = h.writeOk(0, 0, 2, 1);
        long r1 = h.read(5, 0, 0, 2, 1, 0, 1);
        h.drain(0, 0, 2, 1, 0, 1);
        CheckResult r = KvChecker.check(h.ops());
        // offsets 0 and 1 contradict the acknowledgements too
        assertEquals(2, r.counts().get(Kind.VERSION_REGRESSION), r.anomalies()::toString);
        Anomaly first = r.anomalies().stream().filter(a -> a.kind() == Kind.VERSION_REGRESSION).findFirst()
                .orElseThrow();
        assertEquals(List.of(r1, w2, w1), first.opIndexes());
        assertTrue(r.counts().get(Kind.INCONSISTENT_OFFSETS) > 0);
        assertFalse(r.valid());
    }

    @Test
    void aReadersLatestVersionGoingBackBetweenPassesIsARegression() {
        KvHistoryBuilder h = new KvHistoryBuilder();
        h.writeOk(0, 0, 1, 0);
        h.writeOk(0, 0, 2, 1);
        long p1 = h.read(5, 0, 0, 1, 1, 0, 2);
        long p2 = h.read(5, 0, 0, 1);
        h.drain(0, 0, 1, 1, 0, 2);
        CheckResult r = KvChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.VERSION_REGRESSION, 1));
        assertEquals(List.of(p1, p2), only(r, Kind.VERSION_REGRESSION).opIndexes());
    }

    @Test
    void aKeyDisappearingBetweenPassesIsARegression() {
        KvHistoryBuilder h = new KvHistoryBuilder();
        h.writeOk(0, 0, 1, 0);
        h.writeOk(0, 1, 1, 0);
        long p1 = h.read(5, 0, 0, 1, 0, 1, 1);
        long p2 = h.read(5, 0, 1, 1);
        h.drain(0, 0, 1, 0, 1, 1);
        CheckResult r = KvChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.VERSION_REGRESSION, 1));
        assertEquals(List.of(p1, p2), only(r, Kind.VERSION_REGRESSION).opIndexes());
        assertTrue(only(r, Kind.VERSION_REGRESSION).description().contains("read no version of the key"));
    }

    @Test
    void aPassThatReadPastTheNewerVersionMayNotMissTheKey() {
        // as above, but the second pass read offset 3, beyond version 1's acknowledged offset 2
        KvHistoryBuilder h = new KvHistoryBuilder();
        h.writeOk(0, 0, 0, 0);
        h.writeOk(1, 2, 0, 1);
        long p1 = h.read(5, 0, 0, 0, 1, 2, 0);
        h.writeOk(0, 0, 1, 2);
        h.writeOk(1, 2, 1, 3);
        long p2 = h.read(5, 1, 2, 0, 3, 2, 1);
        h.drain(1, 2, 0, 2, 0, 1, 3, 2, 1);
        CheckResult r = KvChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.VERSION_REGRESSION, 1));
        assertEquals(List.of(p1, p2), only(r, Kind.VERSION_REGRESSION).opIndexes());
    }

    @Test
    void aDrainOlderThanAVisibleVersionIsARegressionEvenWhenThatVersionWasNeverAcknowledged() {
        // version 2's write timed out but a pass saw it: it happened, so the drain may not show version 1 again
        KvHistoryBuilder h = new KvHistoryBuilder();
        h.writeOk(0, 0, 1, 0);
        h.writeError(0, Op.Type.INFO, 0, 2);
        long p = h.read(5, 0, 0, 1, 1, 0, 2);
        long d = h.drain(0, 0, 1);
        CheckResult r = KvChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.VERSION_REGRESSION, 1));
        assertEquals(List.of(p, d), only(r, Kind.VERSION_REGRESSION).opIndexes());
    }

    @Test
    void readingAFailedOrUnwrittenVersionIsAnAbortedRead() {
        KvHistoryBuilder h = new KvHistoryBuilder();
        h.writeOk(0, 0, 0, 0);
        long failed = h.writeError(0, Op.Type.FAIL, 0, 1);
        long p = h.read(5, 0, 0, 0, 1, 0, 1, 3, 0, 7);
        h.read(5, 0, 0, 0, 1, 0, 1, 3, 0, 7);
        h.drain(0, 0, 0, 1, 0, 1, 3, 0, 7);
        CheckResult r = KvChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.ABORTED_READ, 2));
        List<Anomaly> aborted = r.anomalies();
        assertEquals(List.of(failed, p), aborted.get(0).opIndexes());
        assertEquals(List.of(p), aborted.get(1).opIndexes());
        assertTrue(aborted.get(1).description().contains("no write of it"), aborted.get(1).description());
    }

    @Test
    void oneVersionAtTwoOffsetsIsADuplicate() {
        KvHistoryBuilder h = new KvHistoryBuilder();
        long w = h.writeOk(0, 0, 0, 0);
        long p = h.read(5, 0, 0, 0, 1, 0, 0);
        h.drain(0, 0, 0, 1, 0, 0);
        CheckResult r = KvChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.DUPLICATE, 1));
        assertEquals(List.of(w, p), only(r, Kind.DUPLICATE).opIndexes());
    }

    @Test
    void oneOffsetShowingTwoRecordsIsInconsistent() {
        KvHistoryBuilder h = new KvHistoryBuilder();
        long w0 = h.writeOk(0, 0, 0, 0);
        long w2 = h.writeOk(0, 2, 0, 1);
        long p = h.read(5, 0, 2, 0);
        h.drain(0, 0, 0, 1, 2, 0);
        CheckResult r = KvChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.INCONSISTENT_OFFSETS, 1, Kind.DUPLICATE, 1));
        assertEquals(List.of(w0, p), only(r, Kind.INCONSISTENT_OFFSETS).opIndexes());
        assertEquals(List.of(w2, p), only(r, Kind.DUPLICATE).opIndexes());
    }

    @Test
    void withoutACompleteDrainTheLatestAcknowledgementsNoReadSawAreUnseen() {
        KvHistoryBuilder h = new KvHistoryBuilder();
        h.writeOk(0, 0, 0, 0);
        long w1 = h.writeOk(0, 1, 0, 0);
        h.read(5, 0, 0, 0);
        h.drainInfo();
        CheckResult r = KvChecker.check(h.ops());
        assertOnly(r, Map.of(Kind.UNSEEN, 1));
        assertEquals(List.of(w1), only(r, Kind.UNSEEN).opIndexes());
        assertFalse(r.drainComplete());
    }

    @Test
    void aDrainThatEndedInfoAfterAnOkOneStillCountsAsIncomplete() {
        KvHistoryBuilder h = new KvHistoryBuilder();
        h.writeOk(0, 0, 0, 0);
        h.drainInfo();
        h.drain(0, 0, 0);
        assertTrue(KvChecker.check(h.ops()).valid());
        h.drainInfo();
        CheckResult r = KvChecker.check(h.ops());
        assertEquals(List.of(), r.anomalies());
        assertFalse(r.drainComplete());
        assertFalse(r.valid());
    }

    @Test
    void kvEntriesSurviveTheJsonHistory() {
        KvHistoryBuilder h = new KvHistoryBuilder();
        h.writeOk(3, 5, 12, 40);
        h.read(4, 38, 5, 11, 40, 5, 12);
        for (Op op : h.ops()) {
            String line = HistoryJson.toLine(op);
            assertEquals(op, HistoryJson.fromLine(line), line);
        }
        assertTrue(HistoryJson.toLine(h.ops().get(1)).contains("\"key\":5"));
        assertTrue(HistoryJson.toLine(h.ops().get(3)).contains("[[38,11,5],[40,12,5]]"));
        // queue lines are unchanged: no key, pairs
        String queue = HistoryJson.toLine(Op.readOk(1, Op.F.POLL, Map.of(0, List.of(new Op.Read(1, 2)))).at(0, 0));
        assertEquals("{\"index\":0,\"time\":0,\"process\":1,\"type\":\"ok\",\"f\":\"poll\",\"reads\":{\"0\":[[1,2]]}}",
                queue);
    }
}
