package io.runnel.metadata.controller;

import java.util.List;

/**
 * One partition's replicas chosen by the client (CreateTopics' {@code assignments}, API key 19): the partition id
 * and broker ids, preferred leader first. Checked by {@link ManualPlacement}, not here.
 */
public record PartitionAssignment(int partitionIndex, List<Integer> replicas) {
    public PartitionAssignment {
        replicas = List.copyOf(replicas);
    }
}
