package io.runnel.jepsen.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The history format's {@code txn} entries, and the lines written before they existed. */
class TxnHistoryJsonTest {

    @Test
    void aTransactionIsOneLineWithItsMicroOps() {
        Op ok = Op.txnOk(2, List.of(Micro.sendAt(1, 43, 19),
                Micro.poll(Map.of(0, List.of(new Op.Read(5, 8))))));
        String line = HistoryJson.toLine(ok.at(23, 1_590_000_000L));
        assertEquals("{\"index\":23,\"time\":1590000000,\"process\":2,\"type\":\"ok\",\"f\":\"txn\","
                + "\"txn\":[[\"send\",1,43,19],[\"poll\",{\"0\":[[5,8]]}]]}", line);
        assertEquals(ok.at(23, 1_590_000_000L), HistoryJson.fromLine(line));
    }

    @Test
    void anInvocationHasNoOffsetsNorReadsAndAnAbortIsMarked() {
        Op invoke = Op.txnInvoke(2, List.of(Micro.send(1, 43), Micro.poll()));
        assertEquals("{\"index\":20,\"time\":5,\"process\":2,\"type\":\"invoke\",\"f\":\"txn\","
                + "\"txn\":[[\"send\",1,43],[\"poll\"]]}", HistoryJson.toLine(invoke.at(20, 5)));
        Op aborted = Op.txnError(2, Op.Type.FAIL, List.of(Micro.send(0, 9)), "aborted by the worker", true)
                .at(25, 6);
        String line = HistoryJson.toLine(aborted);
        assertTrue(line.contains("\"aborted\":true"), line);
        Op back = HistoryJson.fromLine(line);
        assertEquals(aborted, back);
        assertTrue(back.aborted());
    }

    @Test
    void linesWrittenBeforeTransactionsReadUnchanged() {
        Op send = HistoryJson.fromLine("{\"index\":7,\"time\":1523000000,\"process\":2,\"type\":\"ok\","
                + "\"f\":\"send\",\"partition\":1,\"value\":42,\"offset\":17}");
        assertEquals(Op.sendOk(2, 1, 42, 17).at(7, 1_523_000_000L), send);
        assertEquals(List.of(), send.txn());
        assertFalse(send.aborted());
        assertFalse(HistoryJson.toLine(send).contains("txn"));
    }

    @Test
    void anUnknownMicroOpIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> HistoryJson.fromLine(
                "{\"type\":\"ok\",\"f\":\"txn\",\"txn\":[[\"delete\",1]]}"));
    }
}
