package io.runnel.jepsen.workload;

/**
 * The queue workload's shape.
 *
 * @param topic              the topic written and read
 * @param partitions         partitions of the topic, Jepsen's keys (every send names its partition)
 * @param producers          producer worker threads (one idempotent producer each, re-created after an unknown
 *                           outcome)
 * @param assigners          consumer threads that {@code assign} every partition and read from offset 0
 * @param subscribers        consumer threads that {@code subscribe} in one group
 * @param rate               target operations per second over all workers
 * @param acks               the producers' {@code acks} ({@code all} by default; {@code 1} for the negative control)
 * @param bootstrap          {@code bootstrap.servers}
 */
public record QueueConfig(String topic, int partitions, int producers, int assigners, int subscribers, int rate,
                          String acks, String bootstrap) {
    /** The consumer group of the subscribe consumers. */
    public String group() {
        return topic + "-group";
    }

    /** All worker threads. */
    public int workers() {
        return producers + assigners + subscribers;
    }

    /** ns between two operations of one worker, so that all of them together make {@code rate} ops/s. */
    public long intervalNanos() {
        return 1_000_000_000L * workers() / Math.max(1, rate);
    }
}
