package io.runnel.jepsen.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.jepsen.check.Anomaly;
import io.runnel.jepsen.history.HistoryJson;
import io.runnel.jepsen.history.Op;
import io.runnel.jepsen.nemesis.PartitionNemesis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kv workload's acceptance run: 3 real nodes, a compacted topic with the log cleaner active, 12 keys written by 3
 * writers and read by 2 full-pass readers for 60 s under kill and pause, and partitions when the run can have
 * network namespaces (root, and no other live run holding them: then it falls back to loopback with kill and pause,
 * and says so). The verdict must be valid (no lost update, no version regression, no other anomaly, drain complete),
 * and the cleaner must really have cleaned the topic during the run: the nodes logged its "Cleaned log jepsen-kv-"
 * stats lines and the final drain read far fewer records than were acknowledged. About 2 to 3 min in all.
 */
class KvShortRunTest {

    @Test
    void threeNodesWithTheCleanerUnderFaultsLoseNoUpdateAndNeverGoBack() throws Exception {
        String busy = TestRuns.netnsBusy();
        boolean netns = TestRuns.netns() && busy == null;
        if (!netns) {
            System.out.println("KvShortRunTest: loopback, kill and pause only: "
                    + (busy != null ? busy : "no root, ip, iptables or tc"));
        }
        List<String> nemeses = netns ? List.of("partition", "kill", "pause") : List.of("kill", "pause");
        RunOutcome o = new JepsenRun(TestRuns.kvOptions(3, nemeses, 60, 20261208, 12, PartitionNemesis.SHAPES, 8),
                System.out, !netns).execute();
        if (netns) {
            assertEquals(List.of(), TestRuns.leftovers());
        }
        String summary = Files.readString(o.dir().resolve("summary.txt"));
        assertTrue(o.faults() >= 3, "faults started: " + o.faults());
        // thousands on an idle machine; 57 to 160 were measured with a 5-node run sharing the 2 cores (load average
        // above 20), where overlapping kills and pauses leave no majority for 20 s and more
        assertTrue(o.result().acked() >= 40, "acked: " + o.result().acked());
        assertTrue(o.result().drainComplete(), summary);
        Map<Anomaly.Kind, Integer> counts = o.result().counts();
        assertEquals(Anomaly.Kind.KV, counts.keySet());
        assertEquals(0, counts.get(Anomaly.Kind.LOST_UPDATE), o.result().anomalies().toString());
        assertEquals(0, counts.get(Anomaly.Kind.VERSION_REGRESSION), o.result().anomalies().toString());
        assertTrue(o.result().valid(), summary);

        long cleanings = cleanerLines(o.dir());
        long drained = drainedRecords(o.dir());
        System.out.printf("KvShortRunTest: %d acknowledged writes, final drain read %d records, %d cleaner stats "
                + "lines in the node logs%n", o.result().acked(), drained, cleanings);
        assertTrue(cleanings >= 3, "the log cleaner logged " + cleanings + " cleanings of jepsen-kv");
        assertTrue(drained > 0 && drained * 2 < o.result().acked(), "drain read " + drained + " records of "
                + o.result().acked() + " acknowledged: the topic was not compacted");
        for (String f : List.of("history.jsonl", "nemesis.jsonl", "results.json", "summary.txt", "rate.png",
            "latency.png", "nodes/n1/n1-1.log")) {
            assertTrue(Files.size(o.dir().resolve(f)) > 0, f);
        }
    }

    /** The log cleaner's stats lines about the kv topic in every node log of the run. */
    private static long cleanerLines(Path dir) throws Exception {
        List<Path> logs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir.resolve("nodes"), 2)) {
            s.filter(p -> p.getFileName().toString().endsWith(".log")).forEach(logs::add);
        }
        long n = 0;
        for (Path log : logs) {
            try (Stream<String> lines = Files.lines(log)) {
                n += lines.filter(l -> l.contains("Cleaned log jepsen-kv-")).count();
            }
        }
        return n;
    }

    /** The records the last ok drain read. */
    private static long drainedRecords(Path dir) throws Exception {
        long n = -1;
        for (Op op : HistoryJson.read(dir.resolve("history.jsonl"))) {
            if (op.f() == Op.F.DRAIN && op.type() == Op.Type.OK) {
                n = op.reads().values().stream().mapToLong(List::size).sum();
            }
        }
        return n;
    }
}
