package io.runnel.metadata.controller;

import io.runnel.metadata.errors.ApiError;
import java.util.UUID;

/**
 * The outcome for one topic of a CreateTopics request: error (Kafka code and message), and on success the new
 * topic id with the partition count and replication factor actually used (null / -1 on error).
 */
public record CreateTopicResult(String name, ApiError error, UUID topicId, int numPartitions,
                                short replicationFactor) {
    public static CreateTopicResult failed(String name, ApiError error) {
        return new CreateTopicResult(name, error, null, -1, (short) -1);
    }
}
