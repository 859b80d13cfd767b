package io.runnel.jepsen.check;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The offsets each producer process's sends were acknowledged at, per partition, for Jepsen's nonmonotonic sends:
 * within one producer lifetime (until the process's {@code crash}), consecutive ok sends to one partition must be
 * acknowledged at increasing offsets. Sends acknowledged without an offset are not part of the sequence.
 */
final class SendOrder {
    /** process -> partition -> {offset, value, op} of its last ok send there. */
    private final Map<Integer, Map<Integer, long[]>> last = new HashMap<>();

    /** A new producer lifetime for {@code process}. */
    void reset(int process) {
        last.remove(process);
    }

    /** An ok send of {@code value} at {@code offset} (>= 0), completed by op {@code op}. */
    void acked(int process, int partition, long value, long offset, long op, List<Anomaly> out) {
        long[] prev = last.computeIfAbsent(process, k -> new HashMap<>()).get(partition);
        if (prev == null) {
            last.get(process).put(partition, new long[] {offset, value, op});
            return;
        }
        if (offset <= prev[0]) {
            out.add(new Anomaly(Anomaly.Kind.NONMONOTONIC_SEND, partition, "partition " + partition + ": process "
                    + process + "'s send of value " + value + " was acknowledged at offset " + offset + " (op " + op
                    + ") after its send of value " + prev[1] + " at offset " + prev[0] + " (op " + prev[2] + ")",
                    List.of(prev[2], op)));
        }
        prev[0] = offset;
        prev[1] = value;
        prev[2] = op;
    }
}
