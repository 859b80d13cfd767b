package io.runnel.metadata.image;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** One topic: name, topic id (KIP-516) and its partitions by index (0..n-1 once fully created). Immutable. */
public record TopicImage(String name, UUID id, Map<Integer, PartitionRegistration> partitions) {
    public TopicImage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        partitions = Map.copyOf(partitions);
    }

    /** The partition, or null when the topic has no such partition. */
    public PartitionRegistration partition(int partitionId) {
        return partitions.get(partitionId);
    }
}
