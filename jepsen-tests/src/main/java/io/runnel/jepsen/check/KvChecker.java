package io.runnel.jepsen.check;

import io.runnel.jepsen.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checker of the kv workload: a compacted topic where each key is written with strictly increasing versions
 * (one writer process owns a key and writes it sequentially), and readers make full passes over the topic. From the
 * history alone:
 *
 * <ul>
 *   <li>{@code LOST_UPDATE}: per key, the highest acknowledged version v; the last ok {@code drain} (a full pass
 *       after every fault was healed) must show v or a newer version as the key's latest. A drain whose latest
 *       version u of the key is older than v, or that has no record of the key at all, is a lost update, unless
 *       u's write has an unknown outcome ({@code info}, or never completed): such a write may take effect at any
 *       time after its invocation, also after v. Compaction may remove old versions, never the latest.</li>
 *   <li>{@code VERSION_REGRESSION}: within one pass ({@code read} or {@code drain}), a key's version at a later
 *       offset lower than at an earlier one; between one reader process's successive ok passes, a key's latest
 *       version going down or the key disappearing; and from any ok pass completed before the drain was invoked to
 *       the drain (real-time order). The lower version's write must not have an unknown outcome (as above). Between
 *       passes one more explanation is allowed: a pass reads to the end offsets it took when it started, so when a
 *       newer version of the key, invoked before the later pass ended, may lie beyond the offsets that pass read
 *       (acknowledged above them, or of unknown outcome), the cleaner may have removed what the pass would have
 *       shown ({@link KvWrites#newerMayLieBeyond}).</li>
 *   <li>{@code ABORTED_READ}: a read of a version whose write failed ({@code fail}: certainly not written) or that
 *       no write in the history wrote.</li>
 *   <li>{@code DUPLICATE} / {@code INCONSISTENT_OFFSETS}: one (key, version) at two offsets; one offset showing two
 *       (key, version)s, across acknowledgements and reads ({@link KvOffsets}).</li>
 *   <li>{@code UNSEEN}: when no drain completed ok, each key's highest acknowledged version that no ok pass saw,
 *       nor any newer version of the key (with a complete drain that case is a lost update).</li>
 * </ul>
 * The verdict is valid when there is no anomaly and the last drain completed ok (a drain that ended info after an
 * ok one leaves the run incomplete). Anomalies are sorted by kind,
 * partition, then first op index; their {@code partition} is the key's partition and the description names the
 * key. Time and memory are linear in the number of records in the history.
 */
public final class KvChecker {
    private static final Comparator<Anomaly> ORDER = Comparator.comparing(Anomaly::kind)
            .thenComparingInt(Anomaly::partition)
            .thenComparingLong(a -> a.opIndexes().isEmpty() ? -1 : a.opIndexes().get(0));

    private KvChecker() {
    }

    /** A version of a key as one pass saw it last: {@code version} at {@code offset}, read by op {@code op}. */
    private record Seen(long version, long offset, long op) {
    }

    /**
     * What one ok pass showed.
     *
     * @param latest    key -> the last version the pass read of it
     * @param maxOffset partition -> the highest offset the pass read there
     */
    private record PassView(Map<Integer, Seen> latest, Map<Integer, Long> maxOffset) {
    }

    /** Checks a complete kv history (invocations and completions in index order). */
    public static CheckResult check(List<Op> history) {
        KvWrites writes = new KvWrites();
        Map<Integer, Integer> partitionOf = new HashMap<>();
        long sends = 0;
        long acked = 0;
        long failed = 0;
        long unknown = 0;
        for (int i = 0; i < history.size(); i++) {
            Op op = history.get(i);
            if (op.f() != Op.F.WRITE) {
                continue;
            }
            writes.add(op.key(), op.value(), op.type(), index(op, i), op.offset());
            partitionOf.putIfAbsent(op.key(), op.partition());
            switch (op.type()) {
                case INVOKE -> sends++;
                case OK -> acked++;
                case FAIL -> failed++;
                case INFO -> unknown++;
            }
        }

        List<Anomaly> anomalies = new ArrayList<>();
        KvOffsets offsets = new KvOffsets();
        Map<Integer, Map<Integer, Seen>> lastPass = new HashMap<>();
        Map<Integer, Seen> newestSeen = new HashMap<>();
        Map<Integer, Seen> beforeDrain = Map.of();
        Map<Integer, Seen> drained = null;
        Set<List<Long>> readVersions = new HashSet<>();
        Set<List<Long>> aborted = new HashSet<>();
        boolean drainOk = false;
        boolean drainNotOk = false;
        for (int i = 0; i < history.size(); i++) {
            Op op = history.get(i);
            long index = index(op, i);
            if (op.f() == Op.F.WRITE && op.type() == Op.Type.OK && op.offset() >= 0) {
                offsets.observe(op.partition(), op.offset(), op.key(), op.value(), index, anomalies);
            }
            if (op.f() != Op.F.READ && op.f() != Op.F.DRAIN) {
                continue;
            }
            boolean drain = op.f() == Op.F.DRAIN;
            if (drain && op.type() == Op.Type.INVOKE) {
                beforeDrain = Map.copyOf(newestSeen);
            }
            if (!op.isCompletion()) {
                continue;
            }
            if (op.type() != Op.Type.OK) {
                drainNotOk |= drain;
                continue;
            }
            PassView view = pass(op, index, writes, offsets, partitionOf, readVersions, aborted, anomalies);
            if (drain) {
                drainOk = true;
                drainNotOk = false;
                compare(beforeDrain, "an earlier pass", view, op, index, writes, partitionOf, anomalies);
                drained = view.latest();
            } else {
                Map<Integer, Seen> previous = lastPass.put(op.process(), view.latest());
                if (previous != null) {
                    compare(previous, "process " + op.process() + "'s previous pass", view, op, index, writes,
                            partitionOf, anomalies);
                }
                view.latest().forEach((key, seen) -> newestSeen.merge(key, seen,
                        (a, b) -> b.version() > a.version() ? b : a));
            }
        }

        for (Map.Entry<Integer, Long> e : writes.latestAcked().entrySet()) {
            int key = e.getKey();
            long v = e.getValue();
            long ackOp = writes.get(key, v).op();
            int partition = partitionOf.getOrDefault(key, -1);
            if (drained != null) {
                Seen u = drained.get(key);
                if (u == null) {
                    anomalies.add(new Anomaly(Anomaly.Kind.LOST_UPDATE, partition, "key " + key + ": version " + v
                            + " was acknowledged (op " + ackOp + "); the final drain read no version of the key",
                            List.of(ackOp)));
                } else if (u.version() < v && !writes.mayLandLate(key, u.version())) {
                    KvWrites.Write older = writes.get(key, u.version());
                    List<Long> ops = new ArrayList<>(List.of(ackOp, u.op()));
                    if (older != null) {
                        ops.add(older.op());
                    }
                    anomalies.add(new Anomaly(Anomaly.Kind.LOST_UPDATE, partition, "key " + key + ": version " + v
                            + " was acknowledged (op " + ackOp + "); the final drain (op " + u.op()
                            + ") read version " + u.version() + " at offset " + u.offset() + " as the latest ("
                            + writes.describe(key, u.version()) + ")", ops));
                }
            } else {
                Seen s = newestSeen.get(key);
                if (s == null || s.version() < v) {
                    anomalies.add(new Anomaly(Anomaly.Kind.UNSEEN, partition, "key " + key + ": version " + v
                            + " was acknowledged (op " + ackOp + "); no read saw it or a newer version, and no "
                            + "drain completed", List.of(ackOp)));
                }
            }
        }
        anomalies.sort(ORDER);
        return new CheckResult(anomalies, sends, acked, failed, unknown, readVersions.size(),
                drainOk && !drainNotOk, Anomaly.Kind.KV);
    }

    /**
     * One ok pass: checks each record (offsets, aborted reads) and the order of each key's versions within it, and
     * returns what it showed.
     */
    private static PassView pass(Op op, long index, KvWrites writes, KvOffsets offsets,
                                           Map<Integer, Integer> partitionOf, Set<List<Long>> readVersions,
                                           Set<List<Long>> aborted, List<Anomaly> out) {
        Map<Integer, Seen> latest = new TreeMap<>();
        Map<Integer, Long> maxOffset = new HashMap<>();
        for (Map.Entry<Integer, List<Op.Read>> e : new TreeMap<>(op.reads()).entrySet()) {
            int partition = e.getKey();
            for (Op.Read r : e.getValue()) {
                maxOffset.merge(partition, r.offset(), Math::max);
                int key = r.key();
                partitionOf.putIfAbsent(key, partition);
                offsets.observe(partition, r.offset(), key, r.value(), index, out);
                readVersions.add(List.of((long) key, r.value()));
                KvWrites.Write w = writes.get(key, r.value());
                if ((w == null || w.outcome() == Op.Type.FAIL) && aborted.add(List.of((long) key, r.value()))) {
                    out.add(new Anomaly(Anomaly.Kind.ABORTED_READ, partition, "key " + key + ": op " + index
                            + " read version " + r.value() + " at offset " + r.offset() + " ("
                            + writes.describe(key, r.value()) + ")",
                            w == null ? List.of(index) : List.of(w.op(), index)));
                }
                Seen before = latest.get(key);
                if (before != null && r.value() < before.version() && !writes.mayLandLate(key, r.value())) {
                    out.add(new Anomaly(Anomaly.Kind.VERSION_REGRESSION, partition, "key " + key + ": "
                            + op.f().json() + " op " + index + " read version " + r.value() + " at offset "
                            + r.offset() + " after version " + before.version() + " at offset " + before.offset()
                            + " (" + writes.describe(key, r.value()) + ")", writeOps(writes, key, index,
                            before.version(), r.value())));
                }
                latest.put(key, new Seen(r.value(), r.offset(), index));
            }
        }
        return new PassView(latest, maxOffset);
    }

    /**
     * Reports the keys whose latest version in {@code now} is below (or missing from) {@code earlier}, unless a newer
     * write may lie beyond what {@code now} read ({@link KvWrites#newerMayLieBeyond}): a pass stops at the end offsets
     * it took when it started, and the cleaner may meanwhile have removed the version it would have shown.
     */
    private static void compare(Map<Integer, Seen> earlier, String what, PassView now, Op op, long index,
                                KvWrites writes, Map<Integer, Integer> partitionOf, List<Anomaly> out) {
        for (Map.Entry<Integer, Seen> e : new TreeMap<>(earlier).entrySet()) {
            int key = e.getKey();
            Seen was = e.getValue();
            Seen is = now.latest().get(key);
            int partition = partitionOf.getOrDefault(key, -1);
            if ((is == null || is.version() < was.version()) && writes.newerMayLieBeyond(key, was.version(), index,
                    now.maxOffset().getOrDefault(partition, -1L))) {
                continue;
            }
            if (is == null) {
                out.add(new Anomaly(Anomaly.Kind.VERSION_REGRESSION, partition, "key " + key + ": " + op.f().json()
                        + " op " + index + " read no version of the key; " + what + " (op " + was.op()
                        + ") read version " + was.version() + " at offset " + was.offset(), List.of(was.op(), index)));
            } else if (is.version() < was.version() && !writes.mayLandLate(key, is.version())) {
                out.add(new Anomaly(Anomaly.Kind.VERSION_REGRESSION, partition, "key " + key + ": " + op.f().json()
                        + " op " + index + " read version " + is.version() + " at offset " + is.offset()
                        + " as the latest; " + what + " (op " + was.op() + ") read version " + was.version()
                        + " at offset " + was.offset() + " (" + writes.describe(key, is.version()) + ")",
                        List.of(was.op(), index)));
            }
        }
    }

    /** The read op, then the ops that wrote the newer and the older version (those that exist). */
    private static List<Long> writeOps(KvWrites writes, int key, long readOp, long newer, long older) {
        List<Long> ops = new ArrayList<>(List.of(readOp));
        for (long v : new long[] {newer, older}) {
            KvWrites.Write w = writes.get(key, v);
            if (w != null) {
                ops.add(w.op());
            }
        }
        return ops;
    }

    private static long index(Op op, int position) {
        return op.index() >= 0 ? op.index() : position;
    }
}
