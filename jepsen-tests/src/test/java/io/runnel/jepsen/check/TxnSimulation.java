package io.runnel.jepsen.check;

import io.runnel.jepsen.history.Micro;
import io.runnel.jepsen.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A correct serial model of the txn workload for the checker's properties: one log per partition holding each
 * record's value and state (pending, committed, aborted, or a control marker), workers that run one transaction at a
 * time, each to its end before the next starts. A transaction's sends append pending records; its polls read, from
 * the worker's consumer position, committed records up to the first pending one (read_committed), skipping aborted
 * records and markers; then it commits (a commit marker; ok, or info when the answer is lost), or is aborted (on
 * purpose, or failing before the commit; an abort marker). A transaction that does not commit seeks its worker's
 * consumer back to the first offset it read in each partition, as {@code TxnWorker} does. Now and then a worker's
 * consumer restarts from offset 0 ({@code crash}, then {@code assign}). A final drain per worker reads every
 * partition from offset 0 to its end.
 */
final class TxnSimulation {
    /**
     * One transaction's choices (taken modulo what they choose among).
     *
     * @param worker  which worker runs it
     * @param shape   its micro-ops: the count and, per micro-op, send or poll and the partition
     * @param outcome ok, aborted on purpose, failed before the commit, info committed, info not committed; a crash
     * @param limit   how many records one poll returns at most
     */
    record Step(int worker, int shape, int outcome, int limit) {
    }

    private enum State { PENDING, COMMITTED, ABORTED, MARKER }

    private final int partitions;
    private final List<List<long[]>> logs = new ArrayList<>();
    private final long[] nextValue;
    private final List<Op> history = new ArrayList<>();
    private final Map<Integer, long[]> positions = new HashMap<>();

    private TxnSimulation(int partitions) {
        this.partitions = partitions;
        this.nextValue = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            logs.add(new ArrayList<>());
        }
    }

    /** The history of {@code steps} run by {@code workers} workers over {@code partitions} partitions. */
    static List<Op> run(int partitions, int workers, List<Step> steps) {
        TxnSimulation s = new TxnSimulation(partitions);
        for (int w = 0; w < workers; w++) {
            s.assign(w);
        }
        for (Step step : steps) {
            s.step(Math.floorMod(step.worker(), workers), step);
        }
        for (int w = 0; w < workers; w++) {
            s.drain(1000 + 100 * w);
        }
        return s.history;
    }

    private void record(Op op) {
        history.add(op.at(history.size(), history.size() * 1_000L));
    }

    private void assign(int worker) {
        record(Op.invoke(worker, Op.F.ASSIGN));
        positions.put(worker, new long[partitions]);
        List<Integer> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(p);
        }
        record(Op.assignmentOk(worker, Op.F.ASSIGN, all));
    }

    private void step(int worker, Step step) {
        int outcome = Math.floorMod(step.outcome(), 12);
        if (outcome == 11) {
            record(Op.invoke(worker, Op.F.CRASH));
            record(Op.ok(worker, Op.F.CRASH));
            assign(worker);
            return;
        }
        int shape = Math.abs(step.shape() % 100_000);
        int count = 1 + shape % 4;
        shape /= 4;
        List<Micro> plan = new ArrayList<>();
        List<Micro> done = new ArrayList<>();
        Map<Integer, Long> firstRead = new HashMap<>();
        List<long[]> mine = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int choice = shape % (partitions + 1);
            shape /= partitions + 1;
            if (choice < partitions) {
                long value = nextValue[choice]++;
                long[] rec = {value, State.PENDING.ordinal()};
                logs.get(choice).add(rec);
                mine.add(rec);
                plan.add(Micro.send(choice, value));
                done.add(Micro.sendAt(choice, value, logs.get(choice).size() - 1));
            } else {
                plan.add(Micro.poll());
                done.add(Micro.poll(poll(worker, 1 + Math.floorMod(step.limit(), 5), firstRead)));
            }
        }
        record(Op.txnInvoke(worker, plan));
        boolean commits = outcome < 7 || outcome == 9;
        for (long[] rec : mine) {
            rec[1] = (commits ? State.COMMITTED : State.ABORTED).ordinal();
        }
        for (int p = 0; p < partitions; p++) {
            int p0 = p;
            if (mine.stream().anyMatch(r -> logs.get(p0).contains(r))) {
                logs.get(p).add(new long[] {-1, State.MARKER.ordinal()});
            }
        }
        if (outcome < 7) {
            record(Op.txnOk(worker, done));
            return;
        }
        Op.Type type = outcome <= 8 ? Op.Type.FAIL : Op.Type.INFO;
        record(Op.txnError(worker, type, plan, "simulated", outcome == 7));
        firstRead.forEach((p, offset) -> positions.get(worker)[p] = offset);
    }

    private Map<Integer, List<Op.Read>> poll(int worker, int limit, Map<Integer, Long> firstRead) {
        long[] pos = positions.get(worker);
        Map<Integer, List<Op.Read>> reads = new LinkedHashMap<>();
        for (int p = 0; p < partitions && limit > 0; p++) {
            List<long[]> log = logs.get(p);
            while (pos[p] < log.size() && limit > 0) {
                long[] rec = log.get((int) pos[p]);
                if (rec[1] == State.PENDING.ordinal()) {
                    break;
                }
                if (rec[1] == State.COMMITTED.ordinal()) {
                    reads.computeIfAbsent(p, k -> new ArrayList<>()).add(new Op.Read(pos[p], rec[0]));
                    firstRead.putIfAbsent(p, pos[p]);
                    limit--;
                }
                pos[p]++;
            }
        }
        return reads;
    }

    private void drain(int process) {
        Map<Integer, List<Op.Read>> all = new LinkedHashMap<>();
        for (int p = 0; p < partitions; p++) {
            List<Op.Read> reads = new ArrayList<>();
            List<long[]> log = logs.get(p);
            for (int o = 0; o < log.size(); o++) {
                if (log.get(o)[1] == State.COMMITTED.ordinal()) {
                    reads.add(new Op.Read(o, log.get(o)[0]));
                }
            }
            if (!reads.isEmpty()) {
                all.put(p, reads);
            }
        }
        record(Op.invoke(process, Op.F.DRAIN));
        record(Op.readOk(process, Op.F.DRAIN, all));
    }
}
