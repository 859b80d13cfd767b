package io.runnel.jepsen.check;

import io.runnel.jepsen.check.Anomaly.Kind;
import io.runnel.jepsen.history.Micro;
import io.runnel.jepsen.history.Op;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checker of the txn workload (Jepsen's Kafka workload with transactions, definitions re-derived from its
 * documentation; no code taken): each {@code txn} entry is one Kafka transaction of {@code send} and {@code poll}
 * micro-ops ({@link Micro}) by a worker whose consumer reads {@code read_committed} in assign mode; the final
 * {@code drain}s read every partition to its end with a fresh read_committed consumer. Keys are partitions; values
 * are unique per partition.
 *
 * <p>Per partition a version order ({@link VersionOrder}: offset -> values, dense indexes) is fed by every record an
 * ok transaction's polls or an ok drain returned and by every send of an ok transaction (its value at the offset of
 * its RecordMetadata). Reported, with counts and witnesses:
 * <ul>
 *   <li>{@code aborted-read} (G1a): a poll or drain returned a value whose transaction completed {@code fail} (the
 *       worker aborted it, or it certainly did not commit), or that no transaction sent; one per value;</li>
 *   <li>{@code lost-write}: a send of an ok transaction that no read returned, at an offset below the highest offset
 *       any read returned in its partition; {@code unseen}: a send of an ok transaction that no drain returned (as
 *       {@link QueueChecker}: {@link WriteVisibility});</li>
 *   <li>{@code duplicate} (one value at two offsets) and {@code inconsistent-offsets} (two values at one
 *       offset);</li>
 *   <li>{@code nonmonotonic-poll} / {@code poll-skip}: per process and partition, consecutive reads of its ok
 *       transactions' polls (and, separately, of each drain process) whose dense index does not increase / rises by
 *       more than one; reset by an ok {@code assign} and by a {@code crash} (the worker seeks its consumer back to
 *       the first offset a transaction read when that transaction does not commit, so its reads leave no gap);</li>
 *   <li>cycles ({@link TxnGraph}) among committed transactions (ok, or info with a value someone read): ww edges
 *       from each partition's version order, wr edges from writers to the transactions that read their values. A
 *       component of ww edges only is {@code G0}; with at least one wr edge {@code G1c}; a component of the wr edges
 *       alone is also reported as {@code G1c-wr}.</li>
 * </ul>
 *
 * <p>Which kinds make the history invalid ({@link #FORBIDDEN}): Runnel's model (read_committed consumers,
 * transactional producers) forbids aborted-read, lost-write, duplicate, inconsistent-offsets, G1c-wr and, since the
 * workload only assigns, poll-skip and nonmonotonic-poll. It does not forbid {@code G0} or {@code G1c} with ww
 * edges: Kafka transactions make a transaction's writes visible atomically but do not isolate concurrent writers, and
 * ww edges are inferred from offsets, not from commit order. T1 sends to p0 (offset 5), T2 sends to p0 (6) and to
 * p1 (3), T1 sends to p1 (4), both commit: a legal G0; if T2 instead polled T1's p0 write after T1 committed, that is
 * a legal G1c. Jepsen's Kafka checker likewise counts G0 and G1c with inferred ww edges as normal for Kafka. A wr
 * edge, by contrast, orders commits (a read_committed reader sees only what committed before its poll, which precedes
 * its own commit), so a cycle of wr edges alone cannot happen. {@code unseen} is forbidden too: the workload drains
 * only once every partition's last stable offset is its high watermark (no transaction open), so a committed send
 * that no complete drain returned is lost. The run is valid when no forbidden kind occurs and the drain completed.
 */
public final class TxnChecker {
    /** The kinds that make a txn history invalid; the other {@link Kind#TXN} kinds are reported only. */
    public static final Set<Kind> FORBIDDEN = Collections.unmodifiableSet(EnumSet.of(Kind.LOST_WRITE,
            Kind.UNSEEN, Kind.DUPLICATE, Kind.INCONSISTENT_OFFSETS, Kind.NONMONOTONIC_POLL, Kind.POLL_SKIP, Kind.ABORTED_READ,
            Kind.G1C_WR));
    /** How many reader ops an aborted read lists. */
    private static final int READERS_SHOWN = 3;
    private static final Comparator<Anomaly> ORDER = Comparator.comparing(Anomaly::kind)
            .thenComparingInt(Anomaly::partition)
            .thenComparingLong(a -> a.opIndexes().isEmpty() ? -1 : a.opIndexes().get(0));

    private TxnChecker() {
    }

    /** Checks a complete txn history (invocations and completions in index order). */
    public static CheckResult check(List<Op> history) {
        Map<Integer, Partition> partitions = new HashMap<>();
        Map<Long, Op> txns = new HashMap<>();
        long sends = 0;
        long acked = 0;
        long failed = 0;
        long unknown = 0;
        boolean drainOk = false;
        boolean drainNotOk = false;

        // Pass 1: writers, the version order, acknowledgements and reads.
        for (int i = 0; i < history.size(); i++) {
            Op op = history.get(i);
            long index = index(op, i);
            if (op.f() == Op.F.TXN) {
                if (!op.isCompletion()) {
                    sends += op.txn().stream().filter(m -> m.f() == Micro.F.SEND).count();
                    continue;
                }
                txns.put(index, op);
                for (Micro m : op.txn()) {
                    if (m.f() == Micro.F.SEND) {
                        Partition p = partition(partitions, m.partition());
                        p.writer.getOrPut(m.value(), index);
                        switch (op.type()) {
                            case OK -> {
                                acked++;
                                p.visibility.acked(m.value(), m.offset(), index);
                                if (m.offset() >= 0) {
                                    p.order.observe(m.offset(), m.value());
                                }
                            }
                            case FAIL -> failed++;
                            default -> unknown++;
                        }
                    } else if (op.type() == Op.Type.OK) {
                        observe(partitions, m.reads(), index, false);
                    }
                }
            } else if (op.f() == Op.F.DRAIN && op.isCompletion()) {
                if (op.type() == Op.Type.OK) {
                    drainOk = true;
                    observe(partitions, op.reads(), index, true);
                } else {
                    drainNotOk = true;
                }
            }
        }
        boolean conflicts = false;
        for (Partition p : partitions.values()) {
            p.order.freeze();
            conflicts |= p.order.hasConflicts();
        }

        // Pass 2: read order, witnesses, aborted reads and wr edges.
        List<Anomaly> anomalies = new ArrayList<>();
        ReadOrder polls = new ReadOrder("process");
        ReadOrder drains = new ReadOrder("drain process");
        TxnGraph graph = new TxnGraph();
        Set<Long> committedInfo = new HashSet<>();
        Map<Integer, TreeMap<Long, List<Long>>> abortedReads = new TreeMap<>();
        for (int i = 0; i < history.size(); i++) {
            Op op = history.get(i);
            long index = index(op, i);
            boolean drain = op.f() == Op.F.DRAIN;
            if (op.type() != Op.Type.OK) {
                if (op.f() == Op.F.CRASH && op.isCompletion()) {
                    polls.reset(op.process());
                    drains.reset(op.process());
                }
                continue;
            }
            if (op.f() == Op.F.ASSIGN) {
                polls.reset(op.process());
                drains.reset(op.process());
                continue;
            }
            List<Map<Integer, List<Op.Read>>> reads = new ArrayList<>();
            if (drain) {
                reads.add(op.reads());
            } else if (op.f() == Op.F.TXN) {
                for (Micro m : op.txn()) {
                    if (m.f() == Micro.F.POLL) {
                        reads.add(m.reads());
                    } else if (conflicts && m.offset() >= 0) {
                        partitions.get(m.partition()).order.witness(m.offset(), m.value(), index);
                    }
                }
            }
            for (Map<Integer, List<Op.Read>> poll : reads) {
                for (Map.Entry<Integer, List<Op.Read>> e : new TreeMap<>(poll).entrySet()) {
                    Partition p = partitions.get(e.getKey());
                    (drain ? drains : polls).read(op.process(), e.getKey(), e.getValue(), index, p.order, anomalies);
                    for (Op.Read r : e.getValue()) {
                        if (conflicts) {
                            p.order.witness(r.offset(), r.value(), index);
                        }
                        long writer = p.writer.get(r.value(), -1);
                        Op w = writer < 0 ? null : txns.get(writer);
                        if (w == null || w.type() == Op.Type.FAIL) {
                            List<Long> readers = abortedReads.computeIfAbsent(e.getKey(), k -> new TreeMap<>())
                                    .computeIfAbsent(r.value(), k -> new ArrayList<>());
                            if (readers.isEmpty() || readers.get(readers.size() - 1) != index) {
                                readers.add(index);
                            }
                            continue;
                        }
                        if (w.type() == Op.Type.INFO) {
                            committedInfo.add(writer);
                        }
                        if (!drain) {
                            graph.wr(writer, index, "p" + e.getKey() + " value " + r.value());
                        }
                    }
                }
            }
        }

        // ww edges: consecutive committed writers in each partition's version order.
        for (Partition p : new TreeMap<>(partitions).values()) {
            long prev = -1;
            long prevValue = -1;
            for (int rank = 0; rank < p.order.size(); rank++) {
                long value = p.order.valueAt(rank);
                long writer = p.writer.get(value, -1);
                Op w = writer < 0 ? null : txns.get(writer);
                if (w == null || !(w.type() == Op.Type.OK || committedInfo.contains(writer))) {
                    continue;
                }
                if (prev >= 0) {
                    graph.ww(prev, writer, "p" + p.partition + " values " + prevValue + " then " + value);
                }
                prev = writer;
                prevValue = value;
            }
        }
        graph.report(anomalies);

        abortedReads.forEach((partition, values) -> values.forEach((value, readers) ->
                anomalies.add(abortedRead(partition, value, readers, partitions.get(partition).writer, txns))));
        long readValues = 0;
        for (Partition p : new TreeMap<>(partitions).values()) {
            p.order.report(anomalies);
            p.visibility.report(drainOk, anomalies);
            readValues += p.visibility.readValues();
        }
        anomalies.sort(ORDER);
        return new CheckResult(anomalies, sends, acked, failed, unknown, readValues, drainOk && !drainNotOk,
                Kind.TXN, FORBIDDEN);
    }

    private static Anomaly abortedRead(int partition, long value, List<Long> readers, LongLongMap writers,
                                       Map<Long, Op> txns) {
        long writer = writers.get(value, -1);
        Op w = writer < 0 ? null : txns.get(writer);
        String source = w == null ? "no transaction sent it"
                : "its transaction (op " + writer + ") " + (w.aborted() ? "was aborted by the worker"
                : "failed: " + w.error());
        List<Long> ops = new ArrayList<>();
        if (w != null) {
            ops.add(writer);
        }
        ops.addAll(readers.subList(0, Math.min(READERS_SHOWN, readers.size())));
        return new Anomaly(Kind.ABORTED_READ, partition, "partition " + partition + ": value " + value + " was read ("
                + VersionOrder.ops(readers) + ") but " + source, ops);
    }

    private static void observe(Map<Integer, Partition> partitions, Map<Integer, List<Op.Read>> reads, long index,
                                boolean drain) {
        for (Map.Entry<Integer, List<Op.Read>> e : reads.entrySet()) {
            Partition p = partition(partitions, e.getKey());
            for (Op.Read r : e.getValue()) {
                p.order.observe(r.offset(), r.value());
                p.visibility.read(r.offset(), r.value(), index, drain);
            }
        }
    }

    private static long index(Op op, int position) {
        return op.index() >= 0 ? op.index() : position;
    }

    private static Partition partition(Map<Integer, Partition> partitions, int partition) {
        return partitions.computeIfAbsent(partition, Partition::new);
    }

    /** What the history says about one partition. */
    private static final class Partition {
        final int partition;
        final VersionOrder order;
        final WriteVisibility visibility;
        /** value -> the op index of the first transaction completion that sent it. */
        final LongLongMap writer = new LongLongMap();

        Partition(int partition) {
            this.partition = partition;
            order = new VersionOrder(partition);
            visibility = new WriteVisibility(partition);
        }
    }
}
