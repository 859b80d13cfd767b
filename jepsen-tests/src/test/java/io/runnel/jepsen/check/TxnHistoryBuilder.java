package io.runnel.jepsen.check;

import io.runnel.jepsen.history.Micro;
import io.runnel.jepsen.history.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes txn histories for the checker's tests: each helper records an invocation (the micro-ops as planned) and
 * its completion, and returns the completion's index (time = index in ms).
 */
final class TxnHistoryBuilder {
    private final List<Op> ops = new ArrayList<>();

    long add(Op op) {
        long index = ops.size();
        ops.add(op.at(index, index * 1_000_000L));
        return index;
    }

    List<Op> ops() {
        return List.copyOf(ops);
    }

    /** A committed transaction of {@code micros} (sends with offsets, polls with reads). */
    long ok(int process, Micro... micros) {
        add(Op.txnInvoke(process, planned(micros)));
        return add(Op.txnOk(process, List.of(micros)));
    }

    /** A transaction the worker aborted on purpose. */
    long aborted(int process, Micro... micros) {
        add(Op.txnInvoke(process, planned(micros)));
        return add(Op.txnError(process, Op.Type.FAIL, planned(micros), "aborted by the worker", true));
    }

    /** A transaction that failed ({@code FAIL}) or whose outcome is unknown ({@code INFO}). */
    long error(int process, Op.Type type, Micro... micros) {
        add(Op.txnInvoke(process, planned(micros)));
        return add(Op.txnError(process, type, planned(micros), "TimeoutException: commit", false));
    }

    /** An ok drain of one partition: {@code pairs} are offset, value, offset, value... */
    long drain(int process, int partition, long... pairs) {
        add(Op.invoke(process, Op.F.DRAIN));
        return add(Op.readOk(process, Op.F.DRAIN, reads(partition, pairs)));
    }

    /** An ok assign of every partition in {@code partitions}. */
    long assign(int process, Integer... partitions) {
        add(Op.invoke(process, Op.F.ASSIGN));
        return add(Op.assignmentOk(process, Op.F.ASSIGN, List.of(partitions)));
    }

    static Micro send(int partition, long value, long offset) {
        return Micro.sendAt(partition, value, offset);
    }

    /** A poll of one partition: {@code pairs} are offset, value, offset, value... */
    static Micro poll(int partition, long... pairs) {
        return Micro.poll(reads(partition, pairs));
    }

    static Map<Integer, List<Op.Read>> reads(int partition, long... pairs) {
        List<Op.Read> list = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            list.add(new Op.Read(pairs[i], pairs[i + 1]));
        }
        Map<Integer, List<Op.Read>> m = new LinkedHashMap<>();
        if (!list.isEmpty()) {
            m.put(partition, list);
        }
        return m;
    }

    private static List<Micro> planned(Micro... micros) {
        return java.util.Arrays.stream(micros).map(Micro::planned).toList();
    }
}
