package io.runnel.jepsen.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Bad command lines: one clear line (plus the usage hint), exit code 2, nothing started. */
class JepsenRunCommandTest {

    private static String[] run(String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        var cmd = JepsenCommand.newCommandLine();
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOut(new PrintWriter(out, true));
        int code = cmd.execute(args);
        return new String[] {Integer.toString(code), err.toString(), out.toString()};
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "run --nemesis partition,flood|unknown nemesis 'flood' (available: partition, packet, kill, pause, membership, clock",
        "run --nemesis disk|nemesis 'disk' is not available yet",
        "run --workload bank|unknown workload 'bank' (available: queue, kv, txn)",
        "run --workload txn --subscribers 1|--subscribers and --assigners do not apply to the txn workload",
        "run --workload txn --acks 1|--acks must be all",
        "run --workload kv --subscribers 2|--subscribers applies to the queue workload only",
        "run --keys 4|--keys applies to the kv workload only",
        "run --workload kv --keys 2 --producers 3|--keys must be at least --producers for kv",
        "run --nodes 2|--nodes must be at least 3 (got 2)",
        "run --time-limit 0|--time-limit must be a positive number of seconds (got 0)",
        "run --acks 0|--acks must be all or 1",
        "run --partition-shapes square|unknown partition shape 'square'",
        "run --server-prop novalue|--server-prop takes KEY=VALUE",
        "run --nodes five|Invalid value for option '--nodes'",
        "walk|Unmatched argument"})
    void badInputIsOneLineAndExitCodeTwo(String line, String message) {
        String[] r = run(line.split(" "));
        assertEquals("2", r[0], r[1]);
        String first = r[1].lines().findFirst().orElse("");
        assertTrue(first.startsWith("runnel: ") && first.contains(message), r[1]);
        assertTrue(r[1].lines().count() <= 2, r[1]);
    }

    @Test
    void helpListsEveryWorkloadAndNemesis() {
        String[] r = run("run", "--help");
        assertEquals("0", r[0]);
        for (String word : new String[] {"queue", "kv ", "txn ", "--keys", "partition", "packet", "kill", "pause", "clock",
            "--seed", "--runs", "--time-limit"}) {
            assertTrue(r[2].contains(word), word + " missing from --help:\n" + r[2]);
        }
    }
}
