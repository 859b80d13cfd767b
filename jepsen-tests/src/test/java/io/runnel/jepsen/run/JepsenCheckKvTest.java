package io.runnel.jepsen.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.jepsen.history.HistoryJson;
import io.runnel.jepsen.history.Op;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runnel jepsen check} on kv histories: the kv checker is picked from the history, its kinds reported. */
class JepsenCheckKvTest {

    private static List<Op> history(long drainedVersion) {
        List<Op> ops = new ArrayList<>(List.of(
                Op.writeInvoke(0, 1, 1, 0), Op.writeOk(0, 1, 1, 0, 0),
                Op.writeInvoke(0, 1, 1, 1), Op.writeOk(0, 1, 1, 1, 1),
                Op.invoke(1000, Op.F.DRAIN),
                Op.readOk(1000, Op.F.DRAIN, Map.of(1, List.of(new Op.Read(drainedVersion, drainedVersion, 1))))));
        for (int i = 0; i < ops.size(); i++) {
            ops.set(i, ops.get(i).at(i, i * 1_000_000L));
        }
        return ops;
    }

    private static String[] check(Path dir, List<Op> ops) throws Exception {
        Files.write(dir.resolve("history.jsonl"), ops.stream().map(HistoryJson::toLine).toList());
        StringWriter out = new StringWriter();
        var cmd = JepsenCommand.newCommandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(new StringWriter(), true));
        int code = cmd.execute("check", dir.toString());
        return new String[] {Integer.toString(code), out.toString()};
    }

    @Test
    void aValidKvHistoryChecksValidWithTheKvKinds(@TempDir Path dir) throws Exception {
        String[] r = check(dir, history(1));
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("kv workload") && r[1].contains("lost-update") && r[1].contains("VALID"), r[1]);
        assertFalse(r[1].contains("poll-skip"), r[1]);
    }

    @Test
    void aLostUpdateMakesTheCheckFail(@TempDir Path dir) throws Exception {
        String[] r = check(dir, history(0));
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains("INVALID: lost-update"), r[1]);
        assertTrue(r[1].contains("key 1: version 1 was acknowledged (op 3)"), r[1]);
    }
}
