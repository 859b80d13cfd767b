package io.runnel.jepsen.check;

import java.util.List;

/**
 * Which of one partition's acknowledged values were read, and by whom: the source of Jepsen's lost writes
 * (acknowledged, never read by any ok poll or drain, while a higher offset was read) and unseen values
 * (acknowledged, not read by any ok drain).
 *
 * <p>Only ok sends are candidates. An info send whose value someone read counts as committed, but having been read
 * it can be neither lost nor, by this definition, unseen; an info send nobody read may never have happened.
 */
final class WriteVisibility {
    private static final long NONE = Long.MIN_VALUE;

    private final int partition;
    /** value -> the offset of its first acknowledgement (-1 when the ack carried none). */
    private final LongLongMap ackOffset = new LongLongMap();
    /** value -> the op index of its first acknowledgement. */
    private final LongLongMap ackOp = new LongLongMap();
    /** Values read by any ok poll or drain (as a set). */
    private final LongLongMap read = new LongLongMap();
    /** Values read by any ok drain (as a set). */
    private final LongLongMap drained = new LongLongMap();
    private long maxReadOffset = NONE;
    private long maxReadOp = NONE;

    WriteVisibility(int partition) {
        this.partition = partition;
    }

    /** An ok send of {@code value} at {@code offset} (-1 when unknown), completed by op {@code op}. */
    void acked(long value, long offset, long op) {
        if (ackOffset.getOrPut(value, offset) == offset) {
            ackOp.getOrPut(value, op);
        }
    }

    /** Op {@code op}, an ok poll ({@code drain} false) or drain, returned {@code value} at {@code offset}. */
    void read(long offset, long value, long op, boolean drain) {
        read.put(value, 1);
        if (drain) {
            drained.put(value, 1);
        }
        if (offset > maxReadOffset) {
            maxReadOffset = offset;
            maxReadOp = op;
        }
    }

    /** The number of distinct values read. */
    int readValues() {
        return read.size();
    }

    /**
     * Adds a LOST_WRITE for every acknowledged value nobody read below the highest offset read, and an UNSEEN for
     * every acknowledged value no drain read.
     *
     * @param anyDrain whether any drain completed ok (for the description)
     */
    void report(boolean anyDrain, List<Anomaly> out) {
        for (long value : ackOffset.sortedKeys()) {
            long offset = ackOffset.get(value, -1);
            long op = ackOp.get(value, -1);
            String acked = "value " + value + (offset >= 0 ? " acknowledged at offset " + offset : " acknowledged")
                    + " (op " + op + ")";
            if (!read.containsKey(value) && offset >= 0 && maxReadOffset > offset) {
                out.add(new Anomaly(Anomaly.Kind.LOST_WRITE, partition, "partition " + partition + ": " + acked
                        + " was never read; offset " + maxReadOffset + " was read (op " + maxReadOp + ")",
                        op == maxReadOp ? List.of(op) : List.of(op, maxReadOp)));
            }
            if (!drained.containsKey(value)) {
                out.add(new Anomaly(Anomaly.Kind.UNSEEN, partition, "partition " + partition + ": " + acked
                        + (anyDrain ? " was not read by any drain" : " was not read: no drain completed"),
                        List.of(op)));
            }
        }
    }
}
