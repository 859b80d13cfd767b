package io.runnel.metadata.controller;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.rpc.AlterPartitionReassignmentsRequest;
import io.runnel.metadata.rpc.AlterPartitionReassignmentsResponse;
import io.runnel.metadata.rpc.PartitionResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * AlterPartitionReassignments (API key 45; KIP-455), decided as KRaft's controller does. A reassignment of a
 * partition with current replicas C (the full list, including replicas a reassignment in progress is adding) to the
 * target T writes one PartitionChangeRecord with
 * <ul>
 *   <li>replicas = T followed by C − T in ascending order; adding = T − C and removing = C − T, both ascending;</li>
 *   <li>completed at once (replicas = T, ISR = ISR − removing, adding/removing cleared, a new leader from T ∩ ISR if
 *       the leader leaves) when the ISR already allows it, see {@link PartitionChangeBuilder}; otherwise
 *       {@link IsrChanges} completes it when the AlterPartition that brings the last adding replica into the ISR
 *       arrives ({@link #afterIsrChange}).</li>
 * </ul>
 * A new target for a partition already being reassigned replaces the old one, computed from the current (merged)
 * replicas. A cancel (Kafka's null replicas) reverts to the replicas without the adding ones, the ISR without them,
 * and a leader from that ISR.
 *
 * <p>Errors per partition, nothing written for it: UNKNOWN_TOPIC_OR_PARTITION (3); INVALID_REPLICA_ASSIGNMENT (39)
 * for an empty target, a broker named twice, an unregistered broker, or a cancel that would leave no in-sync
 * replica (an unclean revert); NO_REASSIGNMENT_IN_PROGRESS (85) for a cancel with none in progress;
 * INVALID_REQUEST (42) for a partition named twice in the request.
 */
public final class PartitionReassignment {
    private PartitionReassignment() {
    }

    public static ControllerResult<AlterPartitionReassignmentsResponse> alter(MetadataImage image,
            AlterPartitionReassignmentsRequest req) {
        Map<String, Integer> occurrences = new HashMap<>();
        req.getPartitionsList().forEach(p -> occurrences.merge(p.getTopic() + ":" + p.getPartition(), 1,
                Integer::sum));
        List<MetadataRecord> records = new ArrayList<>();
        AlterPartitionReassignmentsResponse.Builder resp = AlterPartitionReassignmentsResponse.newBuilder();
        for (AlterPartitionReassignmentsRequest.Partition rp : req.getPartitionsList()) {
            ApiError error;
            if (occurrences.get(rp.getTopic() + ":" + rp.getPartition()) > 1) {
                error = ApiError.of(ErrorCode.INVALID_REQUEST, "Partition " + rp.getTopic() + ":"
                        + rp.getPartition() + " is named more than once");
            } else {
                error = reassign(image, rp, records);
            }
            PartitionResult.Builder out = PartitionResult.newBuilder().setTopic(rp.getTopic())
                    .setPartition(rp.getPartition()).setErrorCode(error.error().code());
            if (error.message() != null) {
                out.setErrorMessage(error.message());
            }
            resp.addPartitions(out);
        }
        return new ControllerResult<>(records, resp.build());
    }

    /**
     * The record completing a reassignment in progress once the leader's proposed {@code newIsr} is accepted, or
     * the plain ISR change when the reassignment cannot complete yet; null when nothing changes.
     */
    static MetadataRecord afterIsrChange(MetadataImage image, TopicImage topic, int partition,
                                         PartitionRegistration p, List<Integer> newIsr) {
        return PartitionChangeBuilder.build(image, topic.id(), partition, p, p.replicas(), newIsr,
                p.addingReplicas(), p.removingReplicas());
    }

    private static ApiError reassign(MetadataImage image, AlterPartitionReassignmentsRequest.Partition rp,
                                     List<MetadataRecord> records) {
        TopicImage topic = image.topicsByName().get(rp.getTopic());
        PartitionRegistration p = topic == null ? null : topic.partition(rp.getPartition());
        if (p == null) {
            return ApiError.of(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Unable to find partition " + rp.getTopic()
                    + ":" + rp.getPartition() + ".");
        }
        MetadataRecord record;
        if (rp.getCancel()) {
            if (!p.isReassigning()) {
                return ApiError.of(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, "No reassignment in progress for "
                        + rp.getTopic() + ":" + rp.getPartition() + ".");
            }
            List<Integer> replicas = PartitionChangeBuilder.without(p.replicas(), p.addingReplicas());
            List<Integer> isr = PartitionChangeBuilder.without(p.isr(), p.addingReplicas());
            if (isr.isEmpty()) {
                return ApiError.of(ErrorCode.INVALID_REPLICA_ASSIGNMENT, "Unable to revert partition assignment for "
                        + rp.getTopic() + ":" + rp.getPartition() + " because it would require an unclean leader "
                        + "election.");
            }
            record = PartitionChangeBuilder.build(image, topic.id(), rp.getPartition(), p, replicas, isr, List.of(),
                    List.of());
        } else {
            ApiError invalid = validateTarget(image, rp.getReplicasList());
            if (!invalid.isSuccess()) {
                return invalid;
            }
            List<Integer> target = rp.getReplicasList();
            List<Integer> removing = new ArrayList<>(new TreeSet<>(PartitionChangeBuilder.without(p.replicas(),
                    target)));
            List<Integer> adding = new ArrayList<>(new TreeSet<>(PartitionChangeBuilder.without(target,
                    p.replicas())));
            List<Integer> replicas = new ArrayList<>(target);
            replicas.addAll(removing);
            record = PartitionChangeBuilder.build(image, topic.id(), rp.getPartition(), p, replicas, p.isr(), adding,
                    removing);
        }
        if (record != null) {
            records.add(record);
        }
        return ApiError.NONE;
    }

    private static ApiError validateTarget(MetadataImage image, List<Integer> target) {
        if (target.isEmpty()) {
            return ApiError.of(ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes an "
                    + "empty replica list.");
        }
        if (new HashSet<>(target).size() != target.size()) {
            return ApiError.of(ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes the "
                    + "broker ids " + target + " with duplicates.");
        }
        for (int id : target) {
            if (!image.brokers().containsKey(id)) {
                return ApiError.of(ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes "
                        + "broker " + id + ", but no such broker is registered.");
            }
        }
        return ApiError.NONE;
    }
}
