package io.runnel.jepsen.check;

import io.runnel.jepsen.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes queue histories for the checker's tests: every entry gets the next index (and time = index in ms); the
 * helpers record an invocation and its completion and return the completion's index.
 */
final class HistoryBuilder {
    private final List<Op> ops = new ArrayList<>();

    /** Records {@code op} and returns its index. */
    long add(Op op) {
        long index = ops.size();
        ops.add(op.at(index, index * 1_000_000L));
        return index;
    }

    /** The number of entries so far. */
    int size() {
        return ops.size();
    }

    List<Op> ops() {
        return List.copyOf(ops);
    }

    long sendOk(int process, int partition, long value, long offset) {
        add(Op.sendInvoke(process, partition, value));
        return add(Op.sendOk(process, partition, value, offset));
    }

    long sendFail(int process, int partition, long value) {
        add(Op.sendInvoke(process, partition, value));
        return add(Op.sendError(process, Op.Type.FAIL, partition, value, "UnknownTopicOrPartitionException: no"));
    }

    long sendInfo(int process, int partition, long value) {
        add(Op.sendInvoke(process, partition, value));
        return add(Op.sendError(process, Op.Type.INFO, partition, value, "TimeoutException: 10000 ms"));
    }

    /** An ok poll of {@code reads} (see {@link #reads}). */
    long poll(int process, Map<Integer, List<Op.Read>> reads) {
        add(Op.invoke(process, Op.F.POLL));
        return add(Op.readOk(process, Op.F.POLL, reads));
    }

    /** An ok poll of one partition: {@code pairs} are offset, value, offset, value... */
    long poll(int process, int partition, long... pairs) {
        return poll(process, reads(partition, pairs));
    }

    long pollError(int process, Op.Type type) {
        add(Op.invoke(process, Op.F.POLL));
        return add(Op.error(process, type, Op.F.POLL, "DisconnectException: broker 2"));
    }

    long drain(int process, Map<Integer, List<Op.Read>> reads) {
        add(Op.invoke(process, Op.F.DRAIN));
        return add(Op.readOk(process, Op.F.DRAIN, reads));
    }

    /** An ok drain of one partition: {@code pairs} are offset, value, offset, value... */
    long drain(int process, int partition, long... pairs) {
        return drain(process, reads(partition, pairs));
    }

    long drainInfo(int process) {
        add(Op.invoke(process, Op.F.DRAIN));
        return add(Op.error(process, Op.Type.INFO, Op.F.DRAIN, "drain: partition 0 stuck at offset 3 of 5"));
    }

    long assign(int process, Integer... partitions) {
        add(Op.invoke(process, Op.F.ASSIGN));
        return add(Op.assignmentOk(process, Op.F.ASSIGN, Arrays.asList(partitions)));
    }

    long subscribe(int process, Integer... partitions) {
        add(Op.invoke(process, Op.F.SUBSCRIBE));
        return add(Op.assignmentOk(process, Op.F.SUBSCRIBE, Arrays.asList(partitions)));
    }

    long rebalance(int process, Integer... partitions) {
        return add(Op.assignmentOk(process, Op.F.REBALANCE, Arrays.asList(partitions)));
    }

    long crash(int process) {
        add(Op.invoke(process, Op.F.CRASH));
        return add(Op.ok(process, Op.F.CRASH));
    }

    /** One partition's reads from {@code pairs}: offset, value, offset, value... */
    static Map<Integer, List<Op.Read>> reads(int partition, long... pairs) {
        return Map.of(partition, records(pairs));
    }

    /** Reads of several partitions: partition, then its records as {@code long[]} offset/value pairs. */
    static Map<Integer, List<Op.Read>> readsOf(Object... partitionAndPairs) {
        Map<Integer, List<Op.Read>> m = new HashMap<>();
        for (int i = 0; i < partitionAndPairs.length; i += 2) {
            m.put((Integer) partitionAndPairs[i], records((long[]) partitionAndPairs[i + 1]));
        }
        return m;
    }

    static List<Op.Read> records(long... pairs) {
        List<Op.Read> list = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            list.add(new Op.Read(pairs[i], pairs[i + 1]));
        }
        return list;
    }
}
