package io.runnel.jepsen.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.jepsen.check.Anomaly;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The checker must be able to fail on a real run: with {@code acks=1} and {@code unclean.leader.election.enable=true},
 * isolating partition leaders while they take writes makes them acknowledge records no follower has; the new
 * leaders' epochs truncate them after the heal, and the checker must report those acknowledged writes as lost.
 */
class NegativeControlTest {

    @Test
    void acksOneWithTheLeaderIsolatedLosesAcknowledgedWrites() throws Exception {
        Assumptions.assumeTrue(TestRuns.netns(), "needs root, ip, iptables and tc");
        RunOutcome o = new JepsenRun(TestRuns.options(3, List.of("partition"), 25, 7, "1",
                Map.of("unclean.leader.election.enable", "true"), List.of("isolate-leader"), 20), System.out)
                .execute();
        assertEquals(List.of(), TestRuns.leftovers());
        Map<Anomaly.Kind, Integer> counts = o.result().counts();
        assertFalse(o.result().valid());
        assertTrue(counts.get(Anomaly.Kind.LOST_WRITE) > 0, "no lost write found: " + counts);

        // the history alone carries the verdict: checking the run directory again finds the same losses
        StringWriter out = new StringWriter();
        int code = JepsenCommand.newCommandLine().setOut(new PrintWriter(out))
                .execute("check", o.dir().toString());
        assertEquals(1, code, out.toString());
        String lostLine = String.format("%-22s %,d", "lost-write", counts.get(Anomaly.Kind.LOST_WRITE));
        assertTrue(out.toString().contains(lostLine), out.toString());
    }
}
