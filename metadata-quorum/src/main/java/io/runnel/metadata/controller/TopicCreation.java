package io.runnel.metadata.controller;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicNames;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.record.ConfigRecord;
import io.runnel.metadata.record.ConfigResourceType;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.PartitionRecord;
import io.runnel.metadata.record.TopicRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The active controller's CreateTopics logic (API key 19), a pure function of the image: per topic, validate as
 * Kafka does, then emit a TopicRecord, one PartitionRecord per partition (ISR = replicas, leader = first replica,
 * epochs 0; replicas placed by {@link ReplicaPlacer}, rack-aware per KIP-36) and a ConfigRecord per config, all in
 * one batch. A topic with manual {@link CreatableTopic#assignments()} takes them as given once {@link
 * ManualPlacement} accepts them (ISR = the unfenced replicas, leader = the first of them).
 *
 * <p>Errors, per topic: INVALID_TOPIC_EXCEPTION (17) for an illegal name ({@link TopicNames}); INVALID_REQUEST (42)
 * for a name listed twice in the request; TOPIC_ALREADY_EXISTS (36); INVALID_PARTITIONS (37) for a partition count
 * below 1; INVALID_REPLICATION_FACTOR (38) below 1 or above the number of unfenced brokers; INVALID_CONFIG (40) for
 * a key that is not a topic config or a value failing its check ({@link TopicConfigs}); with manual assignments,
 * INVALID_REQUEST (42) unless partition count and replication factor are both -1, and INVALID_REPLICA_ASSIGNMENT (39)
 * for an assignment {@link ManualPlacement} refuses. Other topics of the request are unaffected.
 */
public final class TopicCreation {
    private TopicCreation() {
    }

    /**
     * @param defaults      values for {@link CreatableTopic#USE_DEFAULT}: {@code num.partitions} (Kafka: 1) and
     *                      {@code default.replication.factor} (Kafka: 1)
     * @param topicIds      source of new topic ids (random UUIDs in production); zero or taken ids are skipped
     * @param validateOnly  CreateTopics' {@code validate_only}: results without records
     */
    public static ControllerResult<List<CreateTopicResult>> createTopics(MetadataImage image,
            List<CreatableTopic> topics, int defaultPartitions, short defaultReplicationFactor,
            Supplier<UUID> topicIds, boolean validateOnly) {
        Map<String, Integer> occurrences = new HashMap<>();
        topics.forEach(t -> occurrences.merge(t.name(), 1, Integer::sum));
        ReplicaPlacer placer = new ReplicaPlacer(image);
        Set<UUID> usedIds = new HashSet<>(image.topicsById().keySet());
        List<MetadataRecord> records = new ArrayList<>();
        List<CreateTopicResult> results = new ArrayList<>();
        for (CreatableTopic t : topics) {
            boolean manual = !t.assignments().isEmpty();
            int partitions = manual ? t.assignments().size()
                    : t.numPartitions() == CreatableTopic.USE_DEFAULT ? defaultPartitions : t.numPartitions();
            short rf = manual ? (short) t.assignments().get(0).replicas().size()
                    : t.replicationFactor() == CreatableTopic.USE_DEFAULT ? defaultReplicationFactor
                    : t.replicationFactor();
            ApiError error = validate(image, t, occurrences.get(t.name()), partitions, rf, placer.usableBrokers());
            if (!error.isSuccess()) {
                results.add(CreateTopicResult.failed(t.name(), error));
                continue;
            }
            UUID id = newId(topicIds, usedIds);
            results.add(new CreateTopicResult(t.name(), ApiError.NONE, id, partitions, rf));
            if (validateOnly) {
                continue;
            }
            records.add(MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName(t.name())
                    .setTopicId(Uuids.toProto(id))).build());
            if (manual) {
                for (PartitionAssignment a : t.assignments().stream()
                        .sorted(Comparator.comparingInt(PartitionAssignment::partitionIndex)).toList()) {
                    records.add(MetadataRecord.newBuilder().setPartition(ManualPlacement.record(image, id,
                            a.partitionIndex(), a.replicas())).build());
                    placer.account(a.replicas());
                }
            }
            for (int p = 0; !manual && p < partitions; p++) {
                List<Integer> replicas = placer.place(rf);
                records.add(MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder()
                        .setTopicId(Uuids.toProto(id)).setPartitionId(p).addAllReplicas(replicas)
                        .addAllIsr(replicas).setLeader(replicas.get(0)).setLeaderEpoch(0).setPartitionEpoch(0))
                        .build());
            }
            new TreeMap<>(t.configs()).forEach((k, v) -> records.add(MetadataRecord.newBuilder().setConfig(
                    ConfigRecord.newBuilder().setResourceType(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC)
                            .setResourceName(t.name()).setName(k).setValue(v)).build()));
        }
        return new ControllerResult<>(records, results);
    }

    private static ApiError validate(MetadataImage image, CreatableTopic t, int occurrences, int partitions, short rf,
                                     int usableBrokers) {
        String reason = TopicNames.invalidReason(t.name());
        if (reason != null) {
            return ApiError.of(ErrorCode.INVALID_TOPIC_EXCEPTION, reason);
        }
        if (occurrences > 1) {
            return ApiError.of(ErrorCode.INVALID_REQUEST, "Create topics request from client contains duplicate "
                    + "topic name '" + t.name() + "'");
        }
        if (image.topicsByName().containsKey(t.name())) {
            return ApiError.of(ErrorCode.TOPIC_ALREADY_EXISTS, "Topic '" + t.name() + "' already exists.");
        }
        if (!t.assignments().isEmpty()) {
            if (t.replicationFactor() != CreatableTopic.USE_DEFAULT) {
                return ApiError.of(ErrorCode.INVALID_REQUEST, "A manual partition assignment was given, but the "
                        + "replication factor is " + t.replicationFactor() + " instead of -1");
            }
            if (t.numPartitions() != CreatableTopic.USE_DEFAULT) {
                return ApiError.of(ErrorCode.INVALID_REQUEST, "A manual partition assignment was given, but the "
                        + "number of partitions is " + t.numPartitions() + " instead of -1");
            }
            ApiError manual = ManualPlacement.checkTopic(image, t.assignments());
            return manual.isSuccess() ? TopicConfigs.validate(t.configs()) : manual;
        }
        if (partitions < 1) {
            return ApiError.of(ErrorCode.INVALID_PARTITIONS, "Number of partitions was set to an invalid "
                    + "non-positive value: " + partitions);
        }
        if (rf < 1) {
            return ApiError.of(ErrorCode.INVALID_REPLICATION_FACTOR, "Replication factor must be larger than 0: "
                    + rf);
        }
        if (rf > usableBrokers) {
            return ApiError.of(ErrorCode.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition " + rf
                    + " time(s): The target replication factor of " + rf + " cannot be reached because only "
                    + usableBrokers + " broker(s) are registered and unfenced.");
        }
        return TopicConfigs.validate(t.configs());
    }

    private static UUID newId(Supplier<UUID> topicIds, Set<UUID> used) {
        while (true) {
            UUID id = topicIds.get();
            if ((id.getMostSignificantBits() != 0 || id.getLeastSignificantBits() != 0) && used.add(id)) {
                return id;
            }
        }
    }
}
