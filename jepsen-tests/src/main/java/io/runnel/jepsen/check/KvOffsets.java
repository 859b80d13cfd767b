package io.runnel.jepsen.check;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each offset of the kv topic holds, from acknowledgements and reads: compaction removes records but never
 * moves or rewrites one, so one offset must always show the same (key, version), and one (key, version) must sit at
 * one offset. Reports {@link Anomaly.Kind#INCONSISTENT_OFFSETS} once per offset and {@link Anomaly.Kind#DUPLICATE}
 * once per (key, version), naming the first op that showed each side, when the conflict is first seen.
 */
final class KvOffsets {
    /** partition -> offset -> {key, version, op}. */
    private final Map<Integer, Map<Long, long[]>> atOffset = new HashMap<>();
    /** key -> version -> {partition, offset, op}. */
    private final Map<Integer, Map<Long, long[]>> ofVersion = new HashMap<>();
    private final Set<List<Long>> reported = new HashSet<>();

    /** Op {@code op} showed {@code key} = {@code version} at {@code offset} of {@code partition}. */
    void observe(int partition, long offset, int key, long version, long op, List<Anomaly> out) {
        long[] there = atOffset.computeIfAbsent(partition, p -> new HashMap<>()).get(offset);
        if (there == null) {
            atOffset.get(partition).put(offset, new long[] {key, version, op});
        } else if ((there[0] != key || there[1] != version)
                && reported.add(List.of(0L, (long) partition, offset))) {
            out.add(new Anomaly(Anomaly.Kind.INCONSISTENT_OFFSETS, partition, "partition " + partition + " offset "
                    + offset + ": key " + there[0] + " version " + there[1] + " (op " + there[2] + "), then key " + key
                    + " version " + version + " (op " + op + ")", List.of(there[2], op)));
        }
        long[] where = ofVersion.computeIfAbsent(key, k -> new HashMap<>()).get(version);
        if (where == null) {
            ofVersion.get(key).put(version, new long[] {partition, offset, op});
        } else if ((where[0] != partition || where[1] != offset)
                && reported.add(List.of(1L, (long) key, version))) {
            out.add(new Anomaly(Anomaly.Kind.DUPLICATE, partition, "key " + key + " version " + version
                    + " at partition " + where[0] + " offset " + where[1] + " (op " + where[2] + ") and at partition "
                    + partition + " offset " + offset + " (op " + op + ")", List.of(where[2], op)));
        }
    }
}
