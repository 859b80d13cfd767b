package io.runnel.jepsen.check;

import io.runnel.jepsen.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generates valid queue histories for the checker's properties: producers append unique values to a simulated log
 * per partition (contiguous offsets, with a gap now and then as transaction markers leave), consumers read contiguous
 * segments of it from where they are, and a final drain reads every partition from the start. Each process has at
 * most one op in flight; a {@link Step} either completes it or starts the next one, so entries interleave.
 *
 * <p>Outcomes: a send completes ok (appended, with its offset), fail (not appended), or info (appended or not). A poll
 * completes ok, or fail/info after which the consumer seeks back a little (as the workload does). Consumers
 * {@code assign} all partitions from offset 0, or {@code subscribe} and then get {@code rebalance}s to any subset at
 * any position, backward included; {@code crash} drops a consumer's assignment.
 */
final class SimulatedQueue {
    /**
     * One step of the simulation; the numbers are choices (taken modulo what they choose among).
     *
     * @param process which process acts
     * @param action  what it starts when nothing is in flight
     * @param a       a detail (partition, poll length, rebalance subset, gap)
     * @param b       another (the outcome, a rebalance position)
     */
    record Step(int process, int action, int a, int b) {
    }

    /**
     * A generated history.
     *
     * @param history the entries
     * @param records how many records the log holds at the end (all are drained)
     */
    record Run(List<Op> history, int records) {
    }

    private final int partitions;
    private final List<List<Op.Read>> log = new ArrayList<>();
    private final long[] next;
    private final HistoryBuilder h = new HistoryBuilder();
    private final Process[] processes;
    private long nextValue;

    private SimulatedQueue(int partitions, int producers, int consumers) {
        this.partitions = partitions;
        this.next = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            log.add(new ArrayList<>());
        }
        processes = new Process[producers + consumers];
        for (int i = 0; i < processes.length; i++) {
            processes[i] = new Process(i, i < producers);
        }
    }

    /** Runs {@code steps}, completes whatever is in flight, then drains with one or two fresh processes. */
    static Run run(int partitions, int producers, int consumers, List<Step> steps) {
        SimulatedQueue q = new SimulatedQueue(partitions, producers, consumers);
        steps.forEach(q::step);
        for (Process p : q.processes) {
            if (p.pending != null) {
                q.complete(p, 1, 1);
            }
        }
        int drainers = 1 + steps.size() % 2;
        for (int d = 0; d < drainers; d++) {
            q.drain(q.processes.length + d, d);
        }
        return new Run(q.h.ops(), q.log.stream().mapToInt(List::size).sum());
    }

    private void step(Step s) {
        Process p = processes[Math.floorMod(s.process(), processes.length)];
        if (p.pending != null) {
            complete(p, s.a(), s.b());
        } else if (p.producer) {
            p.pending = s.action() % 8 == 7 ? Op.invoke(p.id, Op.F.CRASH)
                    : Op.sendInvoke(p.id, s.a() % partitions, nextValue++);
            h.add(p.pending);
        } else {
            switch (s.action() % 10) {
                case 6 -> p.pending = Op.invoke(p.id, Op.F.ASSIGN);
                case 7 -> p.pending = Op.invoke(p.id, Op.F.SUBSCRIBE);
                case 8 -> p.pending = Op.invoke(p.id, Op.F.CRASH);
                case 9 -> {
                    if (p.subscribed) {
                        rebalance(p, s.a(), s.b());
                        return;
                    }
                    p.pending = Op.invoke(p.id, Op.F.POLL);
                }
                default -> p.pending = Op.invoke(p.id, Op.F.POLL);
            }
            h.add(p.pending);
        }
    }

    private void complete(Process p, int a, int b) {
        Op invocation = p.pending;
        p.pending = null;
        switch (invocation.f()) {
            case SEND -> {
                int partition = invocation.partition();
                long value = invocation.value();
                int outcome = b % 10;
                if (outcome <= 5) {
                    h.add(Op.sendOk(p.id, partition, value, append(partition, value, a)));
                } else if (outcome == 6) {
                    h.add(Op.sendError(p.id, Op.Type.FAIL, partition, value, "OutOfOrderSequenceException"));
                } else {
                    if (outcome == 7) {
                        append(partition, value, a);
                    }
                    h.add(Op.sendError(p.id, Op.Type.INFO, partition, value, "TimeoutException"));
                }
            }
            case CRASH -> {
                h.add(Op.ok(p.id, Op.F.CRASH));
                p.position.clear();
                p.subscribed = false;
            }
            case ASSIGN -> {
                h.add(Op.assignmentOk(p.id, Op.F.ASSIGN, all()));
                p.position.clear();
                all().forEach(q -> p.position.put(q, 0));
                p.subscribed = false;
            }
            case SUBSCRIBE -> {
                h.add(Op.assignmentOk(p.id, Op.F.SUBSCRIBE, all()));
                p.position.clear();
                p.subscribed = true;
            }
            case POLL -> poll(p, a, b);
            default -> throw new IllegalStateException("not simulated: " + invocation);
        }
    }

    private void poll(Process p, int a, int b) {
        int outcome = b % 10;
        if (outcome >= 8) {
            h.add(Op.error(p.id, outcome == 8 ? Op.Type.FAIL : Op.Type.INFO, Op.F.POLL, "DisconnectException"));
            p.position.replaceAll((q, pos) -> Math.max(0, pos - a % 3));
            return;
        }
        Map<Integer, List<Op.Read>> reads = new TreeMap<>();
        p.position.replaceAll((q, pos) -> {
            List<Op.Read> records = log.get(q);
            int end = Math.min(records.size(), pos + (a + 3 * q) % 4);
            if (end > pos) {
                reads.put(q, List.copyOf(records.subList(pos, end)));
            }
            return end;
        });
        h.add(Op.readOk(p.id, Op.F.POLL, reads));
    }

    private void rebalance(Process p, int a, int b) {
        p.position.clear();
        for (int q = 0; q < partitions; q++) {
            if (((a >> q) & 1) == 1) {
                p.position.put(q, (b + 7 * q) % (log.get(q).size() + 1));
            }
        }
        h.add(Op.assignmentOk(p.id, Op.F.REBALANCE, new ArrayList<>(p.position.keySet())));
    }

    /** A new drain process reads every partition from offset 0 to its end, a few records per op. */
    private void drain(int process, int seed) {
        h.add(Op.invoke(process, Op.F.ASSIGN));
        h.add(Op.assignmentOk(process, Op.F.ASSIGN, all()));
        int[] at = new int[partitions];
        boolean more = true;
        for (int k = 0; more; k++) {
            more = false;
            Map<Integer, List<Op.Read>> reads = new TreeMap<>();
            for (int q = 0; q < partitions; q++) {
                List<Op.Read> records = log.get(q);
                int end = Math.min(records.size(), at[q] + 1 + (seed + k + q) % 5);
                if (end > at[q]) {
                    reads.put(q, List.copyOf(records.subList(at[q], end)));
                }
                at[q] = end;
                more |= end < records.size();
            }
            h.add(Op.invoke(process, Op.F.DRAIN));
            h.add(Op.readOk(process, Op.F.DRAIN, reads));
        }
    }

    /** Appends {@code value} to {@code partition}'s log and returns its offset; {@code a} decides a gap after it. */
    private long append(int partition, long value, int a) {
        long offset = next[partition];
        log.get(partition).add(new Op.Read(offset, value));
        next[partition] += a % 5 == 0 ? 2 : 1;
        return offset;
    }

    private List<Integer> all() {
        List<Integer> all = new ArrayList<>();
        for (int q = 0; q < partitions; q++) {
            all.add(q);
        }
        return all;
    }

    /** One worker: a producer, or a consumer with its assignment (partition -> log position of its next read). */
    private static final class Process {
        final int id;
        final boolean producer;
        final Map<Integer, Integer> position = new TreeMap<>();
        Op pending;
        boolean subscribed;

        Process(int id, boolean producer) {
            this.id = id;
            this.producer = producer;
        }
    }
}
