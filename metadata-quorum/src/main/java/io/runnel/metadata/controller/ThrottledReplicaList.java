package io.runnel.metadata.controller;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The value of the topic configs {@code leader.replication.throttled.replicas} and
 * {@code follower.replication.throttled.replicas} (KIP-73): empty, the literal {@code *} (every replica of the
 * topic), or a comma-separated list of {@code partitionId:brokerId} pairs.
 *
 * @param all   true for {@code *}
 * @param pairs broker id -> the partitions throttled on it (empty when {@code all})
 */
public record ThrottledReplicaList(boolean all, Map<Integer, Set<Integer>> pairs) {
    /** The empty list. */
    public static final ThrottledReplicaList NONE = new ThrottledReplicaList(false, Map.of());

    public ThrottledReplicaList {
        pairs = Map.copyOf(pairs);
    }

    /**
     * Why {@code value} is not a valid list (Kafka's wording), or null when it is.
     *
     * @param key the config key, for the message
     */
    public static String invalidReason(String key, String value) {
        try {
            parse(value);
            return null;
        } catch (IllegalArgumentException e) {
            return "Invalid value " + value + " for configuration " + key + ": " + key + " must be the literal '*'"
                    + " or a list of replicas in the following format: [partitionId]:[brokerId],"
                    + "[partitionId]:[brokerId],...";
        }
    }

    /**
     * Parses a value ({@code null} counts as empty).
     *
     * @throws IllegalArgumentException when it is neither {@code *} nor a list of {@code int:int} pairs
     */
    public static ThrottledReplicaList parse(String value) {
        if (value == null) {
            return NONE;
        }
        List<String> items = ConfigKey.items(value);
        if (items.size() == 1 && items.get(0).equals("*")) {
            return new ThrottledReplicaList(true, Map.of());
        }
        Map<Integer, Set<Integer>> pairs = new HashMap<>();
        for (String item : items) {
            String[] pb = item.split(":", -1);
            if (pb.length != 2) {
                throw new IllegalArgumentException("not partition:broker: " + item);
            }
            try {
                int partition = Integer.parseInt(pb[0].trim());
                int broker = Integer.parseInt(pb[1].trim());
                if (partition < 0 || broker < 0) {
                    throw new IllegalArgumentException("negative: " + item);
                }
                pairs.computeIfAbsent(broker, b -> new HashSet<>()).add(partition);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not numbers: " + item, e);
            }
        }
        return new ThrottledReplicaList(false, pairs);
    }

    /** The partitions throttled on {@code broker} (all of them when {@link #all}). */
    public Set<Integer> partitionsOn(int broker) {
        return pairs.getOrDefault(broker, Set.of());
    }
}
