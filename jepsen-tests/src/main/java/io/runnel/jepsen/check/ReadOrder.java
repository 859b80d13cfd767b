package io.runnel.jepsen.check;

import io.runnel.jepsen.history.Op;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order in which each consumer process read each partition, for Jepsen's nonmonotonic polls (a dense index at or
 * below the previous one) and poll skips (a dense index more than one above it). Consecutive reads are compared
 * within one op and across ops, until the process's tracking is {@linkplain #reset reset}. One instance covers one
 * function (polls, or drains), so a process that polls and later drains from offset 0 is two sequences.
 */
final class ReadOrder {
    private final String who;
    /** process -> partition -> where it last read. */
    private final Map<Integer, Map<Integer, Cursor>> cursors = new HashMap<>();

    /** @param who how descriptions name the reader ({@code "process"}, {@code "drain process"}) */
    ReadOrder(String who) {
        this.who = who;
    }

    /** Forgets where {@code process} read: a new assignment, a new client, or a poll that did not complete ok. */
    void reset(int process) {
        Map<Integer, Cursor> m = cursors.get(process);
        if (m != null) {
            m.values().forEach(c -> c.valid = false);
        }
    }

    /** Checks the records op {@code op} of {@code process} returned from one partition, in order. */
    void read(int process, int partition, List<Op.Read> reads, long op, VersionOrder order, List<Anomaly> out) {
        Cursor c = cursors.computeIfAbsent(process, k -> new HashMap<>()).computeIfAbsent(partition, k -> new Cursor());
        for (Op.Read r : reads) {
            int rank = order.rank(r.offset(), c.valid ? c.rank : -1);
            if (c.valid) {
                if (rank <= c.rank) {
                    out.add(new Anomaly(Anomaly.Kind.NONMONOTONIC_POLL, partition, "partition " + partition + ": "
                            + who + " " + process + " read offset " + r.offset() + " (op " + op + ") after offset "
                            + c.offset + " (op " + c.op + ")", ops(c.op, op)));
                } else if (rank > c.rank + 1) {
                    out.add(new Anomaly(Anomaly.Kind.POLL_SKIP, partition, "partition " + partition + ": " + who
                            + " " + process + " read offset " + r.offset() + " (op " + op + ") right after offset "
                            + c.offset + " (op " + c.op + "), skipping " + (rank - c.rank - 1) + " known offset"
                            + (rank - c.rank - 1 == 1 ? "" : "s"), ops(c.op, op)));
                }
            }
            c.valid = true;
            c.rank = rank;
            c.offset = r.offset();
            c.op = op;
        }
    }

    private static List<Long> ops(long first, long second) {
        return first == second ? List.of(first) : List.of(first, second);
    }

    /** Where one process last read one partition. */
    private static final class Cursor {
        boolean valid;
        int rank;
        long offset;
        long op;
    }
}
