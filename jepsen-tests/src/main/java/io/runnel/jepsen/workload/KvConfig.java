package io.runnel.jepsen.workload;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * The kv workload's shape.
 *
 * @param topic      the compacted topic written and read
 * @param partitions partitions of the topic; key k lives in partition {@code k % partitions}
 * @param keys       how many keys (0 .. keys-1, written to Kafka as {@code "k<key>"}), at least {@code writers}
 * @param writers    writer threads; writer w owns the keys k with {@code k % writers == w} and is the only one to
 *                   write them, so each key's versions are written one at a time in increasing order
 * @param readers    reader threads, each making full passes over the topic
 * @param rate       target operations per second over all workers (a reader's pass is one operation)
 * @param acks       the writers' {@code acks} ({@code all}: idempotent; {@code 1} for negative controls)
 * @param bootstrap  {@code bootstrap.servers}
 */
public record KvConfig(String topic, int partitions, int keys, int writers, int readers, int rate, String acks,
                       String bootstrap) {
    /** The shortest time between the starts of two passes of one reader, ns (250 ms). */
    public static final long MIN_PASS_INTERVAL_NANOS = 250_000_000L;

    public KvConfig {
        if (partitions < 1 || writers < 1 || readers < 0 || keys < writers || rate < 1) {
            throw new IllegalArgumentException("bad kv workload shape: " + partitions + " partitions, " + keys
                    + " keys, " + writers + " writers, " + readers + " readers, rate " + rate);
        }
    }

    /** The partition key {@code key} is written to. */
    public int partitionOf(int key) {
        return key % partitions;
    }

    /** Every partition of the topic. */
    public List<TopicPartition> topicPartitions() {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        return tps;
    }

    /** ns between two operations of one worker, so that all of them together make {@code rate} ops/s. */
    public long intervalNanos() {
        return 1_000_000_000L * (writers + readers) / rate;
    }

    /** The Kafka record key of {@code key}. */
    public static String recordKey(int key) {
        return "k" + key;
    }

    /** The key number of a Kafka record key written by {@link #recordKey}, or -1 for anything else. */
    public static int keyOf(String recordKey) {
        if (recordKey == null || recordKey.length() < 2 || recordKey.charAt(0) != 'k') {
            return -1;
        }
        try {
            return Integer.parseInt(recordKey.substring(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
