package io.runnel.jepsen.check;

import io.runnel.jepsen.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checker of the queue workload: finds, in one complete history, the anomalies of Jepsen's Kafka queue workload
 * ({@code jepsen.tests.kafka}, the definitions re-derived from its documentation; no code taken), where Jepsen's keys
 * are Runnel partitions.
 *
 * <p>The history ({@link Op}, in index order) holds producer processes' {@code send}s of unique integer values to
 * explicit partitions (completing ok with the acknowledged offset, fail when certainly not written, info when
 * unknown), consumer processes' {@code assign}, {@code subscribe}, {@code rebalance} (completion-only: a new
 * assignment), {@code poll} (ok: partition -> the records returned, {@code (offset, value)} in order) and
 * {@code crash} (a new client), and final {@code drain}s that read every partition from offset 0 to its end. Only
 * completions carry results; invocations are only counted ({@link CheckResult#sends}). Offsets are Kafka offsets;
 * op indexes in anomalies are {@link Op#index()} (the list position when an entry has none).
 *
 * <p>Per partition, from the history alone:
 * <ul>
 *   <li>the <em>version order</em> maps offset -> values, fed by every record of every ok poll and ok drain and by
 *       every ok send (its value at its offset); an offset's <em>dense index</em> is its rank among the distinct
 *       offsets known there, so gaps in offsets are harmless;</li>
 *   <li>{@code INCONSISTENT_OFFSETS}: an offset holding two or more values (one anomaly per offset, with every op
 *       showing each value); {@code DUPLICATE}: a value at two or more offsets (one per value);</li>
 *   <li>{@code LOST_WRITE}: an ok send at offset o whose value no ok poll or drain read, while one read an offset
 *       above o (the send and the first read of the highest offset); {@code UNSEEN}: an ok send whose value no ok
 *       drain read, every ok send when no drain completed ok;</li>
 *   <li>{@code NONMONOTONIC_POLL} / {@code POLL_SKIP}: per consumer process (and, separately, per drain process) and
 *       partition, consecutive reads within and across ops whose dense index does not increase / increases by more
 *       than one (the two ops); the tracking restarts after an ok {@code assign}, {@code subscribe} or
 *       {@code rebalance}, any {@code crash} completion, and a poll (drain) that completed fail or info;</li>
 *   <li>{@code NONMONOTONIC_SEND}: per producer process and partition, consecutive ok sends whose offsets do not
 *       increase, restarting at the process's {@code crash} completion.</li>
 * </ul>
 * Anomalies are sorted by kind (enum order), partition, then first op index. The check is linear in the number of
 * records in the history (plus sorting each partition's offsets once) and uses primitive maps: a 500,000-entry
 * history checks in well under a few seconds.
 */
public final class QueueChecker {
    private static final Comparator<Anomaly> ORDER = Comparator.comparing(Anomaly::kind)
            .thenComparingInt(Anomaly::partition)
            .thenComparingLong(a -> a.opIndexes().isEmpty() ? -1 : a.opIndexes().get(0));

    private QueueChecker() {
    }

    /** Checks a complete history (invocations and completions in index order). */
    public static CheckResult check(List<Op> history) {
        Map<Integer, Partition> partitions = new HashMap<>();
        long sends = 0;
        long acked = 0;
        long failed = 0;
        long unknown = 0;
        boolean drainOk = false;
        boolean drainNotOk = false;

        // Pass 1: the version order, acknowledgements and reads.
        for (int i = 0; i < history.size(); i++) {
            Op op = history.get(i);
            long index = index(op, i);
            switch (op.f()) {
                case SEND -> {
                    switch (op.type()) {
                        case INVOKE -> sends++;
                        case OK -> {
                            acked++;
                            Partition p = partition(partitions, op.partition());
                            p.visibility.acked(op.value(), op.offset(), index);
                            if (op.offset() >= 0) {
                                p.order.observe(op.offset(), op.value());
                            }
                        }
                        case FAIL -> failed++;
                        case INFO -> unknown++;
                    }
                }
                case POLL, DRAIN -> {
                    boolean drain = op.f() == Op.F.DRAIN;
                    if (op.type() == Op.Type.OK) {
                        drainOk |= drain;
                        for (Map.Entry<Integer, List<Op.Read>> e : op.reads().entrySet()) {
                            Partition p = partition(partitions, e.getKey());
                            for (Op.Read r : e.getValue()) {
                                p.order.observe(r.offset(), r.value());
                                p.visibility.read(r.offset(), r.value(), index, drain);
                            }
                        }
                    } else if (op.isCompletion()) {
                        drainNotOk |= drain;
                    }
                }
                default -> {
                }
            }
        }
        boolean conflicts = false;
        for (Partition p : partitions.values()) {
            p.order.freeze();
            conflicts |= p.order.hasConflicts();
        }

        // Pass 2: the order of each process's reads and sends, and who showed the conflicting versions.
        List<Anomaly> anomalies = new ArrayList<>();
        ReadOrder polls = new ReadOrder("process");
        ReadOrder drains = new ReadOrder("drain process");
        SendOrder sendOrder = new SendOrder();
        for (int i = 0; i < history.size(); i++) {
            Op op = history.get(i);
            long index = index(op, i);
            switch (op.f()) {
                case SEND -> {
                    if (op.type() == Op.Type.OK && op.offset() >= 0) {
                        sendOrder.acked(op.process(), op.partition(), op.value(), op.offset(), index, anomalies);
                        if (conflicts) {
                            partitions.get(op.partition()).order.witness(op.offset(), op.value(), index);
                        }
                    }
                }
                case POLL, DRAIN -> {
                    ReadOrder readOrder = op.f() == Op.F.DRAIN ? drains : polls;
                    if (op.type() == Op.Type.OK) {
                        for (Map.Entry<Integer, List<Op.Read>> e : op.reads().entrySet()) {
                            VersionOrder order = partitions.get(e.getKey()).order;
                            readOrder.read(op.process(), e.getKey(), e.getValue(), index, order, anomalies);
                            if (order.hasConflicts()) {
                                for (Op.Read r : e.getValue()) {
                                    order.witness(r.offset(), r.value(), index);
                                }
                            }
                        }
                    } else if (op.isCompletion()) {
                        readOrder.reset(op.process());
                    }
                }
                case ASSIGN, SUBSCRIBE, REBALANCE -> {
                    if (op.type() == Op.Type.OK) {
                        polls.reset(op.process());
                        drains.reset(op.process());
                    }
                }
                case CRASH -> {
                    if (op.isCompletion()) {
                        polls.reset(op.process());
                        drains.reset(op.process());
                        sendOrder.reset(op.process());
                    }
                }
            }
        }

        long readValues = 0;
        for (Partition p : new TreeMap<>(partitions).values()) {
            p.order.report(anomalies);
            p.visibility.report(drainOk, anomalies);
            readValues += p.visibility.readValues();
        }
        anomalies.sort(ORDER);
        return new CheckResult(anomalies, sends, acked, failed, unknown, readValues, drainOk && !drainNotOk);
    }

    private static long index(Op op, int position) {
        return op.index() >= 0 ? op.index() : position;
    }

    private static Partition partition(Map<Integer, Partition> partitions, int partition) {
        return partitions.computeIfAbsent(partition, Partition::new);
    }

    /** What the history says about one partition. */
    private static final class Partition {
        final VersionOrder order;
        final WriteVisibility visibility;

        Partition(int partition) {
            order = new VersionOrder(partition);
            visibility = new WriteVisibility(partition);
        }
    }
}
