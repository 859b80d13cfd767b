package io.runnel.jepsen.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.jepsen.history.HistoryJson;
import io.runnel.jepsen.history.Micro;
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

/** {@code runnel jepsen check} on txn histories: the txn checker is picked from the history. */
class TxnCheckCommandTest {

    private static List<Op> history(boolean abortedRead) {
        List<Op> ops = new ArrayList<>(List.of(
                Op.txnInvoke(0, List.of(Micro.send(0, 0))),
                abortedRead ? Op.txnError(0, Op.Type.FAIL, List.of(Micro.send(0, 0)), "aborted by the worker", true)
                        : Op.txnOk(0, List.of(Micro.sendAt(0, 0, 0))),
                Op.invoke(1000, Op.F.DRAIN),
                Op.readOk(1000, Op.F.DRAIN, Map.of(0, List.of(new Op.Read(0, 0))))));
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
    void aValidTxnHistoryChecksValidWithTheTxnKinds(@TempDir Path dir) throws Exception {
        String[] r = check(dir, history(false));
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("txn workload") && r[1].contains("G1c-wr") && r[1].contains("VALID"), r[1]);
        assertTrue(r[1].contains("G0") && r[1].contains("(reported; allowed by the model)"), r[1]);
    }

    @Test
    void anAbortedReadMakesTheCheckFail(@TempDir Path dir) throws Exception {
        String[] r = check(dir, history(true));
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains("INVALID: aborted-read"), r[1]);
    }
}
