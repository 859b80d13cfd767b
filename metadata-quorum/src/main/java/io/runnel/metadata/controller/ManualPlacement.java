package io.runnel.metadata.controller;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.record.PartitionRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Replicas placed by the client: CreateTopics' {@code assignments} (API key 19) and CreatePartitions'
 * {@code assignments} (API key 37, KIP-195), checked as Kafka's controller checks them. Every refusal is
 * INVALID_REPLICA_ASSIGNMENT (39) with a message naming the fault: an empty replica list; a broker id that is not
 * registered; a broker listed twice in one partition; a partition whose replica count differs from the first
 * partition's (CreatePartitions: from the topic's replication factor); a partition whose replicas are all fenced;
 * for CreateTopics, partition ids that are not {@code 0..n-1} each once.
 *
 * <p>A new partition's ISR is its unfenced replicas in the listed order and its leader the first of them; a fenced
 * replica joins the ISR once it has caught up (AlterPartition), as in Kafka.
 */
final class ManualPlacement {
    private ManualPlacement() {
    }

    /** Checks a whole topic's assignments; {@link ApiError#NONE} when they can be created. */
    static ApiError checkTopic(MetadataImage image, List<PartitionAssignment> assignments) {
        Set<Integer> seen = new HashSet<>();
        int replicationFactor = -1;
        for (PartitionAssignment a : assignments) {
            if (!seen.add(a.partitionIndex())) {
                return invalid("Found multiple manual partition assignments for partition " + a.partitionIndex());
            }
            ApiError e = checkReplicas(image, a.partitionIndex(), a.replicas(), replicationFactor, false);
            if (!e.isSuccess()) {
                return e;
            }
            replicationFactor = a.replicas().size();
        }
        for (int p = 0; p < assignments.size(); p++) {
            if (!seen.contains(p)) {
                return invalid("Partitions should be a consecutive 0-based integer sequence: partition " + p
                        + " of " + assignments.size() + " has no assignment");
            }
        }
        return ApiError.NONE;
    }

    /**
     * Checks CreatePartitions' replica lists for the partitions {@code firstPartition, firstPartition + 1, ...}.
     *
     * @param added             how many partitions the request adds (the new count minus the current one)
     * @param replicationFactor the topic's replica count (its first partition's), which every list must match
     */
    static ApiError checkNewPartitions(MetadataImage image, List<List<Integer>> lists, int firstPartition, int added,
                                       int replicationFactor) {
        if (lists.size() != added) {
            return invalid("Increasing the number of partitions by " + added + " but " + lists.size()
                    + " assignment(s) were given: give one replica list per new partition");
        }
        for (int i = 0; i < lists.size(); i++) {
            ApiError e = checkReplicas(image, firstPartition + i, lists.get(i), replicationFactor, true);
            if (!e.isSuccess()) {
                return e;
            }
        }
        return ApiError.NONE;
    }

    /** The PartitionRecord of a checked assignment: ISR = unfenced replicas, leader = the first of them, epochs 0. */
    static PartitionRecord record(MetadataImage image, UUID topicId, int partitionId, List<Integer> replicas) {
        List<Integer> isr = live(image, replicas);
        return PartitionRecord.newBuilder().setTopicId(Uuids.toProto(topicId)).setPartitionId(partitionId)
                .addAllReplicas(replicas).addAllIsr(isr).setLeader(isr.get(0)).setLeaderEpoch(0)
                .setPartitionEpoch(0).build();
    }

    private static ApiError checkReplicas(MetadataImage image, int partition, List<Integer> replicas, int expected,
                                          boolean topicFactor) {
        if (replicas.isEmpty()) {
            return invalid("The manual partition assignment of partition " + partition + " is an empty replica "
                    + "list");
        }
        Set<Integer> distinct = new HashSet<>();
        for (int id : replicas.stream().sorted().toList()) {
            if (!image.brokers().containsKey(id)) {
                return invalid("The manual partition assignment of partition " + partition + " includes broker "
                        + id + ", but no such broker is registered");
            }
            if (!distinct.add(id)) {
                return invalid("The manual partition assignment of partition " + partition + " includes broker "
                        + id + " more than once: " + replicas);
            }
        }
        if (expected >= 0 && replicas.size() != expected) {
            return invalid("The manual partition assignment of partition " + partition + " has " + replicas.size()
                    + " replica(s), but " + (topicFactor ? "the topic's replication factor is "
                    : "the partitions before it have ") + expected);
        }
        if (live(image, replicas).isEmpty()) {
            return invalid("All brokers in the manual partition assignment of partition " + partition + " ("
                    + replicas + ") are fenced");
        }
        return ApiError.NONE;
    }

    private static List<Integer> live(MetadataImage image, List<Integer> replicas) {
        List<Integer> live = new ArrayList<>();
        for (int id : replicas) {
            BrokerRegistration b = image.brokers().get(id);
            if (b != null && !b.fenced()) {
                live.add(id);
            }
        }
        return live;
    }

    private static ApiError invalid(String message) {
        return ApiError.of(ErrorCode.INVALID_REPLICA_ASSIGNMENT, message);
    }
}
