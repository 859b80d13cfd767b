package io.runnel.jepsen.workload;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * The txn workload's shape.
 *
 * @param topic      the topic written and read (RF 3, {@code min.insync.replicas=2})
 * @param partitions partitions of the topic, Jepsen's keys (every send names its partition, as in the queue
 *                   workload)
 * @param workers    worker threads, each with one transactional producer and one read_committed consumer
 * @param rate       target transactions per second over all workers
 * @param abortOneIn the worker aborts one transaction in this many on purpose (10: about one in ten)
 * @param bootstrap  {@code bootstrap.servers}
 */
public record TxnConfig(String topic, int partitions, int workers, int rate, int abortOneIn, String bootstrap) {
    /** The run's choice of {@code abortOneIn}: about one transaction in ten is aborted on purpose. */
    public static final int DEFAULT_ABORT_ONE_IN = 10;
    /** The most micro-ops one transaction holds (at least one). */
    public static final int MAX_MICRO_OPS = 4;

    public TxnConfig {
        if (partitions < 1 || workers < 1 || rate < 1 || abortOneIn < 1) {
            throw new IllegalArgumentException("bad txn workload shape: " + partitions + " partitions, " + workers
                    + " workers, rate " + rate + ", abort one in " + abortOneIn);
        }
    }

    /** ns between two transactions of one worker, so that all of them together make {@code rate} per second. */
    public long intervalNanos() {
        return 1_000_000_000L * workers / rate;
    }

    /** Every partition of the topic. */
    public List<TopicPartition> topicPartitions() {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        return tps;
    }

    /** The same topic as a queue-workload shape, for {@link FinalDrain}. */
    QueueConfig asQueue() {
        return new QueueConfig(topic, partitions, workers, 0, 0, rate, "all", bootstrap);
    }
}
