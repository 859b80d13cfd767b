package io.runnel.jepsen.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One partition's version order as the history shows it: offset -> the values seen there, fed by every record an ok
 * poll or drain returned and by every ok send (its value at its acknowledged offset). It gives each known offset its
 * dense index (rank among the distinct known offsets, from 0), so that gaps in offsets (transaction markers,
 * compaction) are not skips, and it finds Jepsen's inconsistent offsets (one offset, several values) and duplicates
 * (one value, several offsets).
 *
 * <p>Use: {@link #observe} every observation, {@link #freeze}, then (only when {@link #hasConflicts}) feed every
 * observation again to {@link #witness} in history order, and {@link #report}.
 */
final class VersionOrder {
    /** How many op indexes a description lists per value (or offset) before "and N more". */
    private static final int OPS_SHOWN = 3;
    /** How many values (or offsets) a description lists before "and N more". */
    private static final int ENTRIES_SHOWN = 4;

    private final int partition;
    /** offset -> the first value seen there. */
    private final LongLongMap valueAt = new LongLongMap();
    /** value -> the first offset it was seen at. */
    private final LongLongMap offsetOf = new LongLongMap();
    /** Offsets seen with two or more values (as a set). */
    private final LongLongMap conflictOffsets = new LongLongMap();
    /** Values seen at two or more offsets (as a set). */
    private final LongLongMap conflictValues = new LongLongMap();
    /** After {@link #freeze}: every known offset, ascending; an offset's dense index is its position. */
    private long[] offsets;
    /** (offset, value, op) for the conflicting offsets; filled by {@link #witness}. */
    private final Witnesses byOffset = new Witnesses();
    /** (value, offset, op) for the duplicated values; filled by {@link #witness}. */
    private final Witnesses byValue = new Witnesses();

    VersionOrder(int partition) {
        this.partition = partition;
    }

    /** Records that {@code value} was seen at {@code offset} (read, or acknowledged). */
    void observe(long offset, long value) {
        if (valueAt.getOrPut(offset, value) != value) {
            conflictOffsets.put(offset, 1);
        }
        if (offsetOf.getOrPut(value, offset) != offset) {
            conflictValues.put(value, 1);
        }
    }

    /** Ends the observations: computes the dense indexes. */
    void freeze() {
        offsets = valueAt.sortedKeys();
    }

    /** True when some offset holds several values or some value sits at several offsets. */
    boolean hasConflicts() {
        return conflictOffsets.size() > 0 || conflictValues.size() > 0;
    }

    /**
     * The dense index of a known {@code offset}.
     *
     * @param hint a dense index to try first and its successor (the caller's previous one, or -1): reads are mostly
     *             consecutive, so this usually spares the binary search
     * @throws IllegalArgumentException when the offset was never {@linkplain #observe observed}
     */
    int rank(long offset, int hint) {
        if (hint >= 0) {
            if (hint + 1 < offsets.length && offsets[hint + 1] == offset) {
                return hint + 1;
            }
            if (hint < offsets.length && offsets[hint] == offset) {
                return hint;
            }
        }
        int r = java.util.Arrays.binarySearch(offsets, offset);
        if (r < 0) {
            throw new IllegalArgumentException("partition " + partition + ": offset " + offset + " was not observed");
        }
        return r;
    }

    /** The offset at dense index {@code rank} (after {@link #freeze}). */
    long offsetAt(int rank) {
        return offsets[rank];
    }

    /** The first value seen at the offset of dense index {@code rank} (after {@link #freeze}). */
    long valueAt(int rank) {
        return valueAt.get(offsets[rank], -1);
    }

    /** The number of distinct known offsets. */
    int size() {
        return offsets.length;
    }

    /** Records that op {@code op} showed {@code value} at {@code offset}; ops must come in ascending order. */
    void witness(long offset, long value, long op) {
        if (conflictOffsets.containsKey(offset)) {
            byOffset.add(offset, value, op);
        }
        if (conflictValues.containsKey(value)) {
            byValue.add(value, offset, op);
        }
    }

    /** Adds one INCONSISTENT_OFFSETS anomaly per conflicting offset and one DUPLICATE per duplicated value. */
    void report(List<Anomaly> out) {
        byOffset.forEachKey((offset, values) -> out.add(new Anomaly(Anomaly.Kind.INCONSISTENT_OFFSETS, partition,
                "partition " + partition + ": offset " + offset + " holds " + values.size() + " values: "
                        + entries(values), allOps(values))));
        byValue.forEachKey((value, offsetsSeen) -> out.add(new Anomaly(Anomaly.Kind.DUPLICATE, partition,
                "partition " + partition + ": value " + value + " is at " + offsetsSeen.size() + " offsets: "
                        + entries(offsetsSeen), allOps(offsetsSeen))));
    }

    /** {@code 42 (ops 230, 511), 43 (op 600)}, shortened past {@link #ENTRIES_SHOWN} entries. */
    private static String entries(Map<Long, List<Long>> m) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (Map.Entry<Long, List<Long>> e : m.entrySet()) {
            if (n == ENTRIES_SHOWN) {
                sb.append(" and ").append(m.size() - n).append(" more");
                break;
            }
            if (n++ > 0) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append(" (").append(ops(e.getValue())).append(')');
        }
        return sb.toString();
    }

    /** {@code op 5}, {@code ops 5, 7}, {@code ops 5, 7, 9 and 4 more}. */
    static String ops(List<Long> ops) {
        StringBuilder sb = new StringBuilder(ops.size() == 1 ? "op " : "ops ");
        for (int i = 0; i < ops.size(); i++) {
            if (i == OPS_SHOWN) {
                sb.append(" and ").append(ops.size() - i).append(" more");
                break;
            }
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(ops.get(i));
        }
        return sb.toString();
    }

    /** Every op of {@code m}, ascending and distinct. */
    private static List<Long> allOps(Map<Long, List<Long>> m) {
        List<Long> all = new ArrayList<>();
        m.values().forEach(all::addAll);
        all.sort(null);
        List<Long> distinct = new ArrayList<>(all.size());
        for (Long op : all) {
            if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).equals(op)) {
                distinct.add(op);
            }
        }
        return distinct;
    }
}
