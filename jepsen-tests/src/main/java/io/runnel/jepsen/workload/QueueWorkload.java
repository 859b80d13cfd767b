package io.runnel.jepsen.workload;

import io.runnel.jepsen.check.CheckResult;
import io.runnel.jepsen.check.QueueChecker;
import io.runnel.jepsen.history.History;
import io.runnel.jepsen.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Jepsen's queue workload on real kafka-clients (the shape of jepsen.tests.kafka's queue workload, re-derived):
 * producer processes send unique integers to explicit partitions, {@code assign} and {@code subscribe} consumer
 * processes poll, every operation goes into the {@link History}. Process numbers: producers 0.., then assigners, then
 * subscribers; the final drain uses {@link #DRAIN_PROCESS} and up. Values are unique per partition (a counter per
 * partition, from 0).
 */
public final class QueueWorkload implements Workload {
    /** The first process number of the final drain. */
    public static final int DRAIN_PROCESS = 1000;

    private final QueueConfig config;
    private final History history;
    private final long seed;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public QueueWorkload(QueueConfig config, History history, long seed) {
        this.config = config;
        this.history = history;
        this.seed = seed;
    }

    @Override
    public String topic() {
        return config.topic();
    }

    /** Starts every worker thread. */
    @Override
    public void start() {
        running = true;
        AtomicLong[] next = new AtomicLong[config.partitions()];
        for (int p = 0; p < next.length; p++) {
            next[p] = new AtomicLong();
        }
        Random seeds = new Random(seed);
        int process = 0;
        for (int i = 0; i < config.producers(); i++, process++) {
            threads.add(new Thread(new ProducerWorker(config, history, process, next, seeds.nextLong(),
                    () -> running), "jepsen-producer-" + process));
        }
        for (int i = 0; i < config.assigners() + config.subscribers(); i++, process++) {
            boolean subscribe = i >= config.assigners();
            threads.add(new Thread(new ConsumerWorker(config, history, process, subscribe, seeds.nextLong(),
                    () -> running), "jepsen-consumer-" + process));
        }
        threads.forEach(Thread::start);
    }

    /** Asks every worker to finish its current operation and waits for them (each is bounded by its timeouts). */
    @Override
    public void stop() throws InterruptedException {
        running = false;
        long deadline = System.currentTimeMillis() + ProducerWorker.SEND_TIMEOUT_MS + 10_000;
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

    /** {@link FinalDrain} as process {@link #DRAIN_PROCESS} and up. */
    @Override
    public boolean finalRead(Duration limit, java.util.function.Consumer<String> log) {
        return FinalDrain.run(config, history, DRAIN_PROCESS, limit, log);
    }

    /** {@link QueueChecker}. */
    @Override
    public CheckResult check(List<Op> ops) {
        return QueueChecker.check(ops);
    }
}
