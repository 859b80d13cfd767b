package io.runnel.metadata.controller;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One topic of a CreateTopics request (API key 19): name, partition count and replication factor ({@code -1} for
 * the broker defaults {@code num.partitions} / {@code default.replication.factor}, KIP-464), topic configs, and
 * the client's manual replica assignments (empty: the controller places replicas; non-empty: partition count and
 * replication factor must both be {@code -1}, as in Kafka).
 */
public record CreatableTopic(String name, int numPartitions, short replicationFactor, Map<String, String> configs,
                             List<PartitionAssignment> assignments) {
    public static final int USE_DEFAULT = -1;

    public CreatableTopic {
        Objects.requireNonNull(name, "name");
        configs = Map.copyOf(configs);
        assignments = List.copyOf(assignments);
    }

    /** A topic placed by the controller. */
    public CreatableTopic(String name, int numPartitions, short replicationFactor, Map<String, String> configs) {
        this(name, numPartitions, replicationFactor, configs, List.of());
    }

    public static CreatableTopic of(String name, int numPartitions, int replicationFactor) {
        return new CreatableTopic(name, numPartitions, (short) replicationFactor, Map.of());
    }

    /** A topic placed by hand: partition count and replication factor {@code -1}, as Kafka's Admin sends it. */
    public static CreatableTopic manual(String name, List<PartitionAssignment> assignments) {
        return new CreatableTopic(name, USE_DEFAULT, (short) USE_DEFAULT, Map.of(), assignments);
    }
}
