package io.runnel.jepsen.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.jepsen.check.Anomaly;
import io.runnel.jepsen.nemesis.PartitionNemesis;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The acceptance run in {@code mvn verify}: 3 real nodes in network namespaces, the queue workload, partitions,
 * kills and pauses for 60 s, then the heal, the drain and the checker. Runnel must show no anomaly, and the run
 * must leave no namespace, bridge or rule behind.
 */
class ShortRunTest {

    @Test
    void threeNodesUnderPartitionKillAndPauseKeepEveryAcknowledgedWrite() throws Exception {
        Assumptions.assumeTrue(TestRuns.netns(), "needs root, ip, iptables and tc");
        RunOutcome o = new JepsenRun(TestRuns.options(3, List.of("partition", "kill", "pause"), 60, 20261205,
                "all", Map.of(), PartitionNemesis.SHAPES, 8), System.out).execute();
        assertEquals(List.of(), TestRuns.leftovers());
        assertTrue(o.faults() >= 3, "faults started: " + o.faults());
        assertTrue(o.result().acked() > 100, "acked: " + o.result().acked());
        assertTrue(o.result().drainComplete(), "drain incomplete");
        Map<Anomaly.Kind, Integer> counts = o.result().counts();
        assertEquals(0, counts.get(Anomaly.Kind.LOST_WRITE), o.result().anomalies().toString());
        assertEquals(0, counts.get(Anomaly.Kind.UNSEEN), o.result().anomalies().toString());
        assertEquals(0, counts.get(Anomaly.Kind.DUPLICATE), o.result().anomalies().toString());
        assertEquals(0, counts.get(Anomaly.Kind.INCONSISTENT_OFFSETS), o.result().anomalies().toString());
        assertTrue(o.result().valid(), Files.readString(o.dir().resolve("summary.txt")));
        for (String f : List.of("history.jsonl", "nemesis.jsonl", "results.json", "summary.txt", "rate.png",
            "latency.png", "nodes/n1/n1-1.log")) {
            assertTrue(Files.size(o.dir().resolve(f)) > 0, f);
        }
    }
}
