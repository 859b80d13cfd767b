package io.runnel.jepsen.check;

import io.runnel.jepsen.history.Op;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every kv {@code write} of a history by key and version: how it completed ({@code ok}, {@code fail}, {@code info},
 * or still {@code invoke} when the history ends first) and which op shows it (the completion, else the invocation).
 * Versions are the written values, strictly increasing per key over a run.
 */
final class KvWrites {
    /**
     * One write.
     *
     * @param outcome its completion type ({@link Op.Type#INVOKE} when it never completed)
     * @param op      the index of its completion (of its invocation when it never completed)
     * @param offset  the acknowledged offset of an ok write, else -1
     * @param invoked the index of its invocation, -1 when the history holds only the completion
     */
    record Write(Op.Type outcome, long op, long offset, long invoked) {
    }

    private final Map<Integer, TreeMap<Long, Write>> byKey = new HashMap<>();

    /** Records a write entry (invocation or completion) of {@code key} to {@code version}, op {@code index}. */
    void add(int key, long version, Op.Type type, long index, long offset) {
        TreeMap<Long, Write> versions = byKey.computeIfAbsent(key, k -> new TreeMap<>());
        Write before = versions.get(version);
        if (type == Op.Type.INVOKE) {
            if (before == null) {
                versions.put(version, new Write(type, index, -1, index));
            }
            return;
        }
        versions.put(version, new Write(type, index, offset, before == null ? -1 : before.invoked()));
    }

    /** The write of {@code key} to {@code version}, or null when no entry wrote it. */
    Write get(int key, long version) {
        TreeMap<Long, Write> versions = byKey.get(key);
        return versions == null ? null : versions.get(version);
    }

    /**
     * True when a read of {@code version} of {@code key} after a newer version can be explained: its write's
     * outcome is unknown ({@code info}, or no completion), so it may have taken effect at any time after its
     * invocation, even after later writes of the key.
     */
    boolean mayLandLate(int key, long version) {
        Write w = get(key, version);
        return w != null && (w.outcome() == Op.Type.INFO || w.outcome() == Op.Type.INVOKE);
    }

    /**
     * True when a write of {@code key} to a version above {@code version}, invoked before op {@code before}, may lie
     * beyond offset {@code maxOffset} of the key's partition: acknowledged at a higher offset, or with an unknown
     * outcome (its offset unknown). Such a write lets compaction remove {@code version} (and every older one) while a
     * pass that read no further than {@code maxOffset} is under way, so that pass may show the key older or not at
     * all. Failed writes never count. Writes without an invocation count as invoked before anything.
     */
    boolean newerMayLieBeyond(int key, long version, long before, long maxOffset) {
        TreeMap<Long, Write> versions = byKey.get(key);
        if (versions == null) {
            return false;
        }
        for (Write w : versions.tailMap(version, false).values()) {
            if (w.invoked() >= before) {
                continue;
            }
            if (w.outcome() == Op.Type.INFO || w.outcome() == Op.Type.INVOKE
                    || (w.outcome() == Op.Type.OK && (w.offset() < 0 || w.offset() > maxOffset))) {
                return true;
            }
        }
        return false;
    }

    /** The keys with at least one ok write -> their highest acknowledged version. */
    Map<Integer, Long> latestAcked() {
        Map<Integer, Long> m = new TreeMap<>();
        byKey.forEach((key, versions) -> versions.descendingMap().entrySet().stream()
                .filter(e -> e.getValue().outcome() == Op.Type.OK).findFirst()
                .ifPresent(e -> m.put(key, e.getKey())));
        return m;
    }

    /** A short description of the write of {@code key} to {@code version}, e.g. {@code written by op 12, ok}. */
    String describe(int key, long version) {
        Write w = get(key, version);
        if (w == null) {
            return "no write of it";
        }
        String outcome = w.outcome() == Op.Type.INVOKE ? "never completed" : w.outcome().json();
        return "written by op " + w.op() + ", " + outcome;
    }
}
