package io.runnel.jepsen.workload;

import io.runnel.jepsen.check.CheckResult;
import io.runnel.jepsen.check.TxnChecker;
import io.runnel.jepsen.history.History;
import io.runnel.jepsen.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Jepsen's Kafka workload with transactions, on real kafka-clients: {@link TxnWorker} processes 0.. each run
 * transactions of sends (values unique and increasing per partition, as the queue workload makes them) and
 * read_committed polls; after the heal, once no transaction is open, every worker's final read is a fresh
 * read_committed {@link FinalDrain} of every partition to its end, as processes {@link #DRAIN_PROCESS} + 100 * worker
 * and up;
 * {@link TxnChecker} checks the history.
 */
public final class TxnWorkload implements Workload {
    /** The workload's topic. */
    public static final String TOPIC = "jepsen-txn";
    /** The first process number of the final drains. */
    public static final int DRAIN_PROCESS = 1000;
    /** The topic's configs: with RF 3, a committed write is on at least two replicas. */
    public static final Map<String, String> TOPIC_CONFIGS = Map.of("min.insync.replicas", "2");
    /**
     * An upper bound on one transaction in flight, for {@link #stop()} (each blocking producer call is bounded by
     * {@code max.block.ms}, 10 s, and each send by {@code delivery.timeout.ms}, 10 s).
     */
    static final long COMMIT_TIMEOUT_MS = 15_000;

    private final TxnConfig config;
    private final History history;
    private final long seed;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public TxnWorkload(TxnConfig config, History history, long seed) {
        this.config = config;
        this.history = history;
        this.seed = seed;
    }

    @Override
    public String topic() {
        return config.topic();
    }

    @Override
    public void start() {
        running = true;
        AtomicLong[] next = new AtomicLong[config.partitions()];
        for (int p = 0; p < next.length; p++) {
            next[p] = new AtomicLong();
        }
        Random seeds = new Random(seed);
        for (int w = 0; w < config.workers(); w++) {
            threads.add(new Thread(new TxnWorker(config, history, w, next, seeds.nextLong(), () -> running),
                    "jepsen-txn-" + w));
        }
        threads.forEach(Thread::start);
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        long deadline = System.currentTimeMillis() + COMMIT_TIMEOUT_MS + 10_000;
        for (Thread t : threads) {
            t.join(Math.max(1, deadline - System.currentTimeMillis()));
        }
        for (Thread t : threads) {
            if (t.isAlive()) {
                t.interrupt();
                t.join(5_000);
            }
        }
    }

    /**
     * Once every partition's last stable offset is its high watermark ({@link StableOffsets}: every transaction has
     * its marker), one read_committed {@link FinalDrain} per worker, one after the other, within {@code limit} in all.
     * When the partitions never become stable, one {@code drain} info says so and nothing is drained: the run is
     * invalid (the drain did not complete).
     */
    @Override
    public boolean finalRead(Duration limit, Consumer<String> log) {
        long deadline = System.nanoTime() + limit.toNanos();
        String unstable = StableOffsets.await(config.asQueue(), limit.dividedBy(2));
        if (unstable != null) {
            log.accept("drain: the last stable offsets did not reach the high watermarks: " + unstable);
            history.record(Op.invoke(DRAIN_PROCESS, Op.F.DRAIN));
            history.record(Op.error(DRAIN_PROCESS, Op.Type.INFO, Op.F.DRAIN, "the last stable offsets did not reach "
                    + "the high watermarks within " + limit.dividedBy(2).toSeconds() + " s (" + unstable + ")"));
            return false;
        }
        boolean all = true;
        for (int w = 0; w < config.workers(); w++) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            all &= FinalDrain.run(config.asQueue(), history, DRAIN_PROCESS + 100 * w, left, log, true);
        }
        return all;
    }

    /** {@link TxnChecker}. */
    @Override
    public CheckResult check(List<Op> ops) {
        return TxnChecker.check(ops);
    }
}
