package io.runnel.cli.perf;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures the time a group consumer spends without partitions while joining its group ("rebalance.time.ms" of
 * {@code consumer-perf-test}): from the start, or from losing its last partition, until partitions are assigned
 * again. Called on the consumer's thread only.
 */
final class RebalanceTimer implements ConsumerRebalanceListener {

    private final LongSupplier clockMs;
    private final Set<TopicPartition> owned = new HashSet<>();
    private long joinStartMs;
    private long totalMs;
    private long intervalMs;

    /** @param clockMs the current time, ms; the join is taken to start now */
    RebalanceTimer(LongSupplier clockMs) {
        this.clockMs = clockMs;
        this.joinStartMs = clockMs.getAsLong();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        owned.removeAll(partitions);
        if (owned.isEmpty()) {
            joinStartMs = clockMs.getAsLong();
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (owned.isEmpty()) {
            long spent = clockMs.getAsLong() - joinStartMs;
            totalMs += spent;
            intervalMs += spent;
        }
        owned.addAll(partitions);
    }

    /** @return all time spent joining so far, ms */
    long totalMs() {
        return totalMs;
    }

    /** @return time spent joining since the last call (the current reporting interval), ms; then restarts it */
    long takeIntervalMs() {
        long ms = intervalMs;
        intervalMs = 0;
        return ms;
    }
}
