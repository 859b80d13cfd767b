package io.runnel.metadata.controller;

import java.util.Map;
import java.util.Objects;

/**
 * One topic of a CreateTopics request (API key 19): name, partition count and replication factor ({@code -1} for
 * the broker defaults {@code num.partitions} / {@code default.replication.factor}, KIP-464), and topic configs.
 */
public record CreatableTopic(String name, int numPartitions, short replicationFactor, Map<String, String> configs) {
    public static final int USE_DEFAULT = -1;

    public CreatableTopic {
        Objects.requireNonNull(name, "name");
        configs = Map.copyOf(configs);
    }

    public static CreatableTopic of(String name, int numPartitions, int replicationFactor) {
        return new CreatableTopic(name, numPartitions, (short) replicationFactor, Map.of());
    }
}
