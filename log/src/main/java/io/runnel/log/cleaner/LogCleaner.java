package io.runnel.log.cleaner;

import io.runnel.log.CleanableSection;
import io.runnel.log.LogException;
import io.runnel.log.PartitionLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The log cleaner of one broker (Kafka docs, "Log Compaction"): {@code log.cleaner.threads} daemon threads, each with
 * its own {@link OffsetMap} of {@code log.cleaner.dedupe.buffer.size / threads} bytes, repeatedly take the registered
 * compacted log with the highest dirty ratio that needs cleaning (ratio at least {@code min.cleanable.dirty.ratio},
 * or {@code max.compaction.lag.ms} passed, KIP-354), clean it, and sleep {@code log.cleaner.backoff.ms} when none
 * does. A log is cleaned by one thread at a time. Each cleaning logs one line (logger {@code io.runnel.log.cleaner},
 * see {@link CleanerStats#describe}) and updates the log's {@link CleanerMetrics} (JMX). Thread-safe.
 */
public final class LogCleaner implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("io.runnel.log.cleaner");
    private final CleanerConfig config;
    private final Throttler throttler;
    private final Map<String, PartitionLog> logs = new ConcurrentHashMap<>();
    private final Map<String, CleanerMetrics> metrics = new ConcurrentHashMap<>();
    private final Map<String, Boolean> inProgress = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Object wakeup = new Object();
    private final int brokerId;
    private volatile boolean running;

    /**
     * @param config   the broker's {@code log.cleaner.*} settings
     * @param brokerId the broker's {@code node.id}, part of the JMX names so that brokers sharing a JVM stay apart
     */
    public LogCleaner(CleanerConfig config, int brokerId) {
        this.config = config;
        this.brokerId = brokerId;
        this.throttler = new Throttler(config.ioMaxBytesPerSecond());
    }

    /** Starts the threads (none when {@code log.cleaner.enable=false}). */
    public synchronized void start() {
        if (running || !config.enabled()) {
            return;
        }
        running = true;
        for (int i = 0; i < config.threads(); i++) {
            int id = i;
            Thread t = new Thread(() -> loop(id), "log-cleaner-thread-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Registers a log under its name ({@code <topic>-<partition>}); compact-policy logs get cleaned. */
    public void add(String name, PartitionLog log) {
        logs.put(name, log);
        metrics.computeIfAbsent(name, n -> CleanerMetrics.register(brokerId, n, () -> dirtyRatio(n)));
    }

    /** Stops cleaning the log (before it is closed or deleted); waits for a cleaning of it in progress to end. */
    public void remove(String name) {
        logs.remove(name);
        CleanerMetrics m = metrics.remove(name);
        if (m != null) {
            m.unregister();
        }
        synchronized (wakeup) {
            while (inProgress.containsKey(name)) {
                try {
                    wakeup.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The metrics of a registered log, or null. */
    public CleanerMetrics metrics(String name) {
        return metrics.get(name);
    }

    /** Wakes the threads to look for work now instead of after the backoff. */
    public void wakeUp() {
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
    }

    private double dirtyRatio(String name) {
        PartitionLog log = logs.get(name);
        try {
            return log == null ? 0 : log.cleanableSection().dirtyRatio();
        } catch (LogException e) {
            return 0;
        }
    }

    private void loop(int id) {
        OffsetMap map = new OffsetMap(config.dedupeBytesPerThread(), config.ioBufferLoadFactor());
        while (running) {
            String name = claimDirtiest();
            if (name == null) {
                synchronized (wakeup) {
                    try {
                        wakeup.wait(Math.max(1, config.backoffMs()));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            try {
                PartitionLog log = logs.get(name);
                CleanerStats stats = log == null ? null : log.clean(map, throttler);
                if (stats != null) {
                    LOG.info(stats.describe(id, name));
                    CleanerMetrics m = metrics.get(name);
                    if (m != null) {
                        m.record(stats, System.currentTimeMillis());
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cleaning " + name + " failed; it stays as it was", e);
            } finally {
                synchronized (wakeup) {
                    inProgress.remove(name);
                    wakeup.notifyAll();
                }
            }
        }
    }

    /** The registered log with the highest dirty ratio among those that need cleaning, marked in progress. */
    private String claimDirtiest() {
        synchronized (wakeup) {
            String best = null;
            double bestRatio = -1;
            for (Map.Entry<String, PartitionLog> e : logs.entrySet()) {
                if (inProgress.containsKey(e.getKey()) || !e.getValue().config().cleanupPolicy().compact()) {
                    continue;
                }
                try {
                    CleanableSection s = e.getValue().cleanableSection();
                    double ratio = s.maxLagExceeded() ? 2 : s.dirtyRatio();
                    if (s.needsCleaning(e.getValue().config()) && ratio > bestRatio) {
                        best = e.getKey();
                        bestRatio = ratio;
                    }
                } catch (LogException ex) {
                    LOG.fine("skipping " + e.getKey() + ": " + ex.getMessage());
                }
            }
            if (best != null) {
                inProgress.put(best, Boolean.TRUE);
            }
            return best;
        }
    }

    /** Stops the threads, waiting for cleanings in progress to end; unregisters every log's metrics. */
    @Override
    public void close() {
        // never interrupt: an interrupt during FileChannel I/O would close the segment's channel for every reader
        running = false;
        wakeUp();
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String name : List.copyOf(metrics.keySet())) {
            CleanerMetrics m = metrics.remove(name);
            if (m != null) {
                m.unregister();
            }
        }
    }
}
