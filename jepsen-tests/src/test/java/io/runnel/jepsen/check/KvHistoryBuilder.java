package io.runnel.jepsen.check;

import io.runnel.jepsen.history.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes kv histories for {@link KvCheckerTest}: entries get the next index (time = index in ms); key k lives in
 * partition {@code k % 2}; helpers return the completion's index.
 */
final class KvHistoryBuilder {
    private final List<Op> ops = new ArrayList<>();

    long add(Op op) {
        long index = ops.size();
        ops.add(op.at(index, index * 1_000_000L));
        return index;
    }

    List<Op> ops() {
        return List.copyOf(ops);
    }

    static int partition(int key) {
        return key % 2;
    }

    long writeOk(int process, int key, long version, long offset) {
        add(Op.writeInvoke(process, partition(key), key, version));
        return add(Op.writeOk(process, partition(key), key, version, offset));
    }

    long writeError(int process, Op.Type type, int key, long version) {
        add(Op.writeInvoke(process, partition(key), key, version));
        return add(Op.writeError(process, type, partition(key), key, version, "TimeoutException: 10000 ms"));
    }

    /** An ok read pass; {@code triples} are offset, key, version, ... in offset order per partition. */
    long read(int process, long... triples) {
        add(Op.invoke(process, Op.F.READ));
        return add(Op.readOk(process, Op.F.READ, reads(triples)));
    }

    /** An ok final drain; {@code triples} as {@link #read}. */
    long drain(long... triples) {
        add(Op.invoke(1000, Op.F.DRAIN));
        return add(Op.readOk(1000, Op.F.DRAIN, reads(triples)));
    }

    long drainInfo() {
        add(Op.invoke(1000, Op.F.DRAIN));
        return add(Op.error(1000, Op.Type.INFO, Op.F.DRAIN, "end offsets not reached"));
    }

    static Map<Integer, List<Op.Read>> reads(long... triples) {
        Map<Integer, List<Op.Read>> m = new LinkedHashMap<>();
        for (int i = 0; i < triples.length; i += 3) {
            int key = (int) triples[i + 1];
            m.computeIfAbsent(partition(key), p -> new ArrayList<>())
                    .add(new Op.Read(triples[i], triples[i + 2], key));
        }
        return m;
    }
}
