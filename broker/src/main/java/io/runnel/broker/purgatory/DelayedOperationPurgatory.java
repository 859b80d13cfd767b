package io.runnel.broker.purgatory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where {@link DelayedOperation}s wait, watched by keys (topic partitions): whoever changes what a key stands for
 * (an append, a high-watermark move, a leadership change) calls {@link #checkAndComplete(Object)}, which retries the
 * operations watching it. A timer completes the rest at their deadline. No thread polls.
 *
 * <p>Thread-safe.
 *
 * @param <K> the watch key type
 */
public final class DelayedOperationPurgatory<K> {
    private static final Logger LOG = LoggerFactory.getLogger(DelayedOperationPurgatory.class);
    private final String name;
    private final ScheduledExecutorService timer;
    private final Map<K, Set<DelayedOperation>> watchers = new ConcurrentHashMap<>();

    /**
     * @param name  for log lines, e.g. {@code Fetch}
     * @param timer runs expirations; shared, not owned
     */
    public DelayedOperationPurgatory(String name, ScheduledExecutorService timer) {
        this.name = name;
        this.timer = timer;
    }

    /**
     * Completes {@code op} now if it can be; otherwise watches it under every key and schedules its timeout. The
     * condition is checked again after the watch is in place, so a change racing with the first check is not lost.
     *
     * @return true if {@code op} completed during this call
     */
    public boolean tryCompleteElseWatch(DelayedOperation op, List<K> keys) {
        if (op.tryComplete()) {
            return true;
        }
        for (K key : keys) {
            if (op.isCompleted()) {
                break;
            }
            // add inside compute: atomic with the empty-set removal in computeIfPresent, so no add lands in a set
            // that was just dropped from the map
            watchers.compute(key, (k, s) -> {
                Set<DelayedOperation> set = s == null ? ConcurrentHashMap.newKeySet() : s;
                set.add(op);
                return set;
            });
        }
        if (op.tryComplete()) {
            unwatch(op, keys);
            return true;
        }
        if (!op.isCompleted()) {
            op.setTimeout(timer.schedule(() -> {
                try {
                    op.expire();
                } catch (RuntimeException e) {
                    LOG.error("{} purgatory: expiring an operation failed", name, e);
                } finally {
                    unwatch(op, keys);
                }
            }, Math.max(0, op.delayMs()), TimeUnit.MILLISECONDS));
        } else {
            unwatch(op, keys);
        }
        return false;
    }

    /**
     * Retries every operation watching {@code key}; completed ones stop being watched.
     *
     * @return how many this call completed
     */
    public int checkAndComplete(K key) {
        Set<DelayedOperation> ops = watchers.get(key);
        if (ops == null) {
            return 0;
        }
        int done = 0;
        List<DelayedOperation> finished = new ArrayList<>();
        for (DelayedOperation op : ops) {
            if (op.isCompleted()) {
                finished.add(op);
            } else {
                try {
                    if (op.tryComplete()) {
                        done++;
                        finished.add(op);
                    }
                } catch (RuntimeException e) {
                    LOG.error("{} purgatory: an operation failed to complete", name, e);
                    op.forceComplete();
                    finished.add(op);
                }
            }
        }
        if (!finished.isEmpty()) {
            ops.removeAll(finished);
            watchers.computeIfPresent(key, (k, s) -> s.isEmpty() ? null : s);
        }
        return done;
    }

    /** Operations currently watched under {@code key} (completed ones not yet swept included). */
    public int watched(K key) {
        Set<DelayedOperation> ops = watchers.get(key);
        return ops == null ? 0 : ops.size();
    }

    /** Completes every waiting operation now (shutdown). */
    public void completeAll() {
        for (K key : List.copyOf(watchers.keySet())) {
            Set<DelayedOperation> ops = watchers.remove(key);
            if (ops != null) {
                ops.forEach(DelayedOperation::forceComplete);
            }
        }
    }

    private void unwatch(DelayedOperation op, List<K> keys) {
        for (K key : keys) {
            Set<DelayedOperation> ops = watchers.get(key);
            if (ops != null) {
                ops.remove(op);
                watchers.computeIfPresent(key, (k, s) -> s.isEmpty() ? null : s);
            }
        }
    }
}
