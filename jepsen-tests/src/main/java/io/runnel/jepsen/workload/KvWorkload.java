package io.runnel.jepsen.workload;

import io.runnel.jepsen.check.CheckResult;
import io.runnel.jepsen.check.KvChecker;
import io.runnel.jepsen.history.History;
import io.runnel.jepsen.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The kv workload: a compacted topic ({@link #TOPIC_CONFIGS}: the cleaner runs all through the run) of a handful of
 * keys, each written by exactly one writer process with strictly increasing versions ({@link KvWriter}); reader
 * processes make full passes over the topic ({@link KvReader}); after the heal one full pass is the final drain
 * ({@link KvDrain}); {@link KvChecker} looks for lost updates, version regressions, aborted reads, duplicates and
 * inconsistent offsets. Process numbers: writers 0.., then readers; the drain is {@link #DRAIN_PROCESS}.
 */
public final class KvWorkload implements Workload {
    /** The workload's topic. */
    public static final String TOPIC = "jepsen-kv";
    /** The process number of the final drain. */
    public static final int DRAIN_PROCESS = 1000;
    /**
     * The topic's configs: compacted, {@code min.insync.replicas=2}, a new segment every 1.5 s, cleanable as soon as
     * 1 % of it is dirty, no compaction lag, tombstones (none are written) kept 1 s: the cleaner rewrites the
     * topic many times a minute.
     */
    public static final Map<String, String> TOPIC_CONFIGS = Map.of(
            "cleanup.policy", "compact",
            "min.insync.replicas", "2",
            "segment.ms", "1500",
            "min.cleanable.dirty.ratio", "0.01",
            "min.compaction.lag.ms", "0",
            "delete.retention.ms", "1000");
    /**
     * Server properties the kv workload sets on every node unless {@code --server-prop} does: the cleaner looks for
     * dirty logs every 500 ms (Kafka's default, 15 s, would leave most of a short run uncleaned) with a 16 MiB
     * key-to-offset map (the nodes run with a 512 MiB heap).
     */
    public static final Map<String, String> SERVER_DEFAULTS = Map.of(
            "log.cleaner.enable", "true",
            "log.cleaner.backoff.ms", "500",
            "log.cleaner.dedupe.buffer.size", Integer.toString(16 << 20));

    private final KvConfig config;
    private final History history;
    private final long seed;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public KvWorkload(KvConfig config, History history, long seed) {
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
        Random seeds = new Random(seed);
        int process = 0;
        for (int w = 0; w < config.writers(); w++, process++) {
            threads.add(new Thread(new KvWriter(config, history, process, w, seeds.nextLong(), () -> running),
                    "jepsen-kv-writer-" + process));
        }
        for (int r = 0; r < config.readers(); r++, process++) {
            threads.add(new Thread(new KvReader(config, history, process, () -> running),
                    "jepsen-kv-reader-" + process));
        }
        threads.forEach(Thread::start);
    }

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

    /** {@link KvDrain} as process {@link #DRAIN_PROCESS}. */
    @Override
    public boolean finalRead(Duration limit, Consumer<String> log) {
        return KvDrain.run(config, history, DRAIN_PROCESS, limit, log);
    }

    /** {@link KvChecker}. */
    @Override
    public CheckResult check(List<Op> ops) {
        return KvChecker.check(ops);
    }
}
