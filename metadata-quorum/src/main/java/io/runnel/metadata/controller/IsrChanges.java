package io.runnel.metadata.controller;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.rpc.AlterPartitionRequest;
import io.runnel.metadata.rpc.AlterPartitionResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * AlterPartition (API key 56; KIP-497): a partition leader proposes a new ISR. Checked as Kafka's controller does,
 * in this order, per partition:
 * <ol>
 *   <li>UNKNOWN_TOPIC_ID (100) / UNKNOWN_TOPIC_OR_PARTITION (3); INVALID_REQUEST (42) for a partition named twice;</li>
 *   <li>NOT_LEADER_OR_FOLLOWER (6) when the sender does not lead the partition;</li>
 *   <li>leader epoch: above the controller's → NOT_CONTROLLER (41, the controller is behind: the leader should find
 *       the current one); below → FENCED_LEADER_EPOCH (74);</li>
 *   <li>partition epoch: above → NOT_CONTROLLER (41); below → INVALID_UPDATE_VERSION (95);</li>
 *   <li>INVALID_REQUEST (42) for an ISR with duplicates, non-replicas, or without the leader;</li>
 *   <li>INELIGIBLE_REPLICA (107) for an ISR member that is unregistered, fenced or shutting down.</li>
 * </ol>
 * The request as a whole: BROKER_ID_NOT_REGISTERED (102) / STALE_BROKER_EPOCH (77). An accepted change that alters
 * the ISR writes one PartitionChangeRecord (partition epoch + 1); an unchanged ISR writes nothing. Each partition's
 * response carries its state after the request. An ISR change of a partition being reassigned (KIP-455) may complete
 * the reassignment in the same record: see {@link PartitionReassignment}.
 */
public final class IsrChanges {
    private IsrChanges() {
    }

    /** @param leaving brokers in controlled shutdown (ineligible for the ISR) */
    public static ControllerResult<AlterPartitionResponse> alterPartition(MetadataImage image,
            AlterPartitionRequest req, Set<Integer> leaving) {
        ApiError top = BrokerLifecycle.checkEpoch(image, req.getBrokerId(), req.getBrokerEpoch());
        if (!top.isSuccess()) {
            return new ControllerResult<>(List.of(), AlterPartitionResponse.newBuilder()
                    .setErrorCode(top.error().code()).setErrorMessage(top.message()).build());
        }
        AlterPartitionResponse.Builder resp = AlterPartitionResponse.newBuilder();
        List<MetadataRecord> records = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (AlterPartitionRequest.Partition rp : req.getPartitionsList()) {
            UUID topicId = Uuids.fromProto(rp.getTopicId());
            AlterPartitionResponse.Partition.Builder out = AlterPartitionResponse.Partition.newBuilder()
                    .setTopicId(rp.getTopicId()).setPartition(rp.getPartition());
            TopicImage topic = image.topicsById().get(topicId);
            PartitionRegistration p = topic == null ? null : topic.partition(rp.getPartition());
            ApiError error;
            if (!seen.add(topicId + "-" + rp.getPartition())) {
                error = ApiError.of(ErrorCode.INVALID_REQUEST, "Partition " + rp.getPartition() + " of topic "
                        + topicId + " is listed twice");
            } else if (topic == null) {
                error = ApiError.of(ErrorCode.UNKNOWN_TOPIC_ID, "Unknown topic id " + topicId);
            } else if (p == null) {
                error = ApiError.of(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + topic.name()
                        + "' has no partition " + rp.getPartition());
            } else {
                error = check(image, req.getBrokerId(), rp, p, leaving);
            }
            if (!error.isSuccess()) {
                resp.addPartitions(out.setErrorCode(error.error().code()).setErrorMessage(error.message()));
                continue;
            }
            boolean changed = !new HashSet<>(rp.getNewIsrList()).equals(new HashSet<>(p.isr()));
            MetadataRecord change = !changed ? null : p.isReassigning()
                    ? PartitionReassignment.afterIsrChange(image, topic, rp.getPartition(), p, rp.getNewIsrList())
                    : Records.partitionChange(topicId, rp.getPartition(), null, rp.getNewIsrList());
            PartitionRegistration after = p;
            if (change != null) {
                records.add(change);
                after = p.merge(change.getPartitionChange());
            }
            resp.addPartitions(out.setLeaderId(after.leader()).setLeaderEpoch(after.leaderEpoch())
                    .addAllIsr(after.isr()).setPartitionEpoch(after.partitionEpoch()));
        }
        return new ControllerResult<>(records, resp.build());
    }

    private static ApiError check(MetadataImage image, int brokerId, AlterPartitionRequest.Partition rp,
                                  PartitionRegistration p, Set<Integer> leaving) {
        if (p.leader() != brokerId) {
            return ApiError.of(ErrorCode.NOT_LEADER_OR_FOLLOWER, "Broker " + brokerId + " is not the leader of "
                    + "partition " + rp.getPartition() + " (leader " + p.leader() + ")");
        }
        if (rp.getLeaderEpoch() > p.leaderEpoch()) {
            return ApiError.of(ErrorCode.NOT_CONTROLLER, "Leader epoch " + rp.getLeaderEpoch() + " is ahead of the "
                    + "controller's " + p.leaderEpoch());
        }
        if (rp.getLeaderEpoch() < p.leaderEpoch()) {
            return ApiError.of(ErrorCode.FENCED_LEADER_EPOCH, "Leader epoch " + rp.getLeaderEpoch()
                    + " is older than the current " + p.leaderEpoch());
        }
        if (rp.getPartitionEpoch() > p.partitionEpoch()) {
            return ApiError.of(ErrorCode.NOT_CONTROLLER, "Partition epoch " + rp.getPartitionEpoch()
                    + " is ahead of the controller's " + p.partitionEpoch());
        }
        if (rp.getPartitionEpoch() < p.partitionEpoch()) {
            return ApiError.of(ErrorCode.INVALID_UPDATE_VERSION, "Partition epoch " + rp.getPartitionEpoch()
                    + " is older than the current " + p.partitionEpoch());
        }
        List<Integer> isr = rp.getNewIsrList();
        if (new HashSet<>(isr).size() != isr.size() || !p.replicas().containsAll(isr) || !isr.contains(brokerId)) {
            return ApiError.of(ErrorCode.INVALID_REQUEST, "ISR " + isr + " must be a set of replicas "
                    + p.replicas() + " containing the leader " + brokerId);
        }
        for (int id : isr) {
            BrokerRegistration b = image.brokers().get(id);
            if (b == null || b.fenced() || leaving.contains(id)) {
                return ApiError.of(ErrorCode.INELIGIBLE_REPLICA, "ISR member " + id + " is "
                        + (b == null ? "not registered" : b.fenced() ? "fenced" : "shutting down"));
            }
        }
        return ApiError.NONE;
    }
}
