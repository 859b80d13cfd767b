package io.runnel.metadata.controller;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ControllerApiException;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.rpc.ElectLeadersRequest;
import io.runnel.metadata.rpc.ElectLeadersResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * ElectLeaders (API key 43) as Kafka's controller decides it, per partition, against the latest image:
 * <ul>
 *   <li><b>PREFERRED</b> (type 0, KIP-183): ELECTION_NOT_NEEDED (84) when the first replica of the assignment
 *       already leads; otherwise the first replica becomes leader when it is alive (registered, unfenced, not in
 *       controlled shutdown) and in the ISR; otherwise, when the current leader is alive and in the ISR,
 *       PREFERRED_LEADER_NOT_AVAILABLE (80); a partition with no usable leader gets the first alive ISR member in
 *       replica order (PREFERRED_LEADER_NOT_AVAILABLE when there is none).</li>
 *   <li><b>UNCLEAN</b> (type 1, KIP-460): only for a partition without a leader (leader -1), else ELECTION_NOT_NEEDED
 *       (84); the first alive ISR member in replica order leads, or else the first alive replica outside the ISR,
 *       which then becomes the whole ISR (records below the old high watermark may be lost: that is what unclean
 *       means). The topic's {@code unclean.leader.election.enable} does not matter for this explicit request, as in
 *       Kafka. No alive replica: ELIGIBLE_LEADERS_NOT_AVAILABLE (83).</li>
 *   <li>An unknown topic or partition: UNKNOWN_TOPIC_OR_PARTITION (3).</li>
 * </ul>
 * {@code all_partitions} (Kafka's null topic list) runs the election over every partition of every topic and, like
 * Kafka, leaves out partitions answered ELECTION_NOT_NEEDED. Each election is one PartitionChangeRecord naming the new
 * leader (the leader epoch and partition epoch bump on replay), plus the ISR for an unclean one; all of a request's
 * changes are one batch. A successful partition's answer carries its new leader and leader epoch. An election type
 * other than 0 or 1 fails the whole request with INVALID_REQUEST (42). A partition named twice is elected once and
 * answered twice alike. Pure function of the image.
 */
public final class LeaderElection {
    /** Kafka's {@code ElectionType.PREFERRED} id. */
    public static final int PREFERRED = 0;
    /** Kafka's {@code ElectionType.UNCLEAN} id. */
    public static final int UNCLEAN = 1;

    private LeaderElection() {
    }

    /**
     * @param leaving brokers in controlled shutdown (never elected)
     * @throws ControllerApiException INVALID_REQUEST for an unknown election type
     */
    public static ControllerResult<ElectLeadersResponse> elect(MetadataImage image, ElectLeadersRequest req,
                                                               Set<Integer> leaving) {
        int type = req.getElectionType();
        if (type != PREFERRED && type != UNCLEAN) {
            throw new ControllerApiException(ErrorCode.INVALID_REQUEST, "Unknown election type " + type);
        }
        IntPredicate alive = PartitionLeadership.alive(image, leaving);
        List<MetadataRecord> records = new ArrayList<>();
        ElectLeadersResponse.Builder resp = ElectLeadersResponse.newBuilder();
        if (req.getAllPartitions()) {
            for (TopicImage t : new TreeMap<>(image.topicsByName()).values()) {
                ElectLeadersResponse.Topic.Builder out = ElectLeadersResponse.Topic.newBuilder().setName(t.name());
                for (int id : new TreeMap<>(t.partitions()).keySet()) {
                    ElectLeadersResponse.Partition r = electOne(image, t.name(), id, type, alive, records);
                    if (r.getErrorCode() != ErrorCode.ELECTION_NOT_NEEDED.code()) {
                        out.addPartitions(r);
                    }
                }
                resp.addTopics(out);
            }
        } else {
            Map<String, ElectLeadersResponse.Partition> decided = new HashMap<>();
            for (ElectLeadersRequest.Topic rt : req.getTopicsList()) {
                ElectLeadersResponse.Topic.Builder out = ElectLeadersResponse.Topic.newBuilder().setName(rt.getName());
                for (int id : rt.getPartitionsList()) {
                    // a partition named twice is elected once and answered alike both times
                    out.addPartitions(decided.computeIfAbsent(rt.getName() + "\u0000" + id,
                            k -> electOne(image, rt.getName(), id, type, alive, records)));
                }
                resp.addTopics(out);
            }
        }
        return new ControllerResult<>(records, resp.build());
    }

    /** One partition's answer; its change (if any) goes to {@code records}. */
    private static ElectLeadersResponse.Partition electOne(MetadataImage image, String topicName, int partitionId,
                                                          int type, IntPredicate alive, List<MetadataRecord> records) {
        ElectLeadersResponse.Partition.Builder out = ElectLeadersResponse.Partition.newBuilder()
                .setPartition(partitionId).setLeaderId(PartitionRegistration.NO_LEADER).setLeaderEpoch(-1);
        TopicImage topic = image.topicsByName().get(topicName);
        PartitionRegistration p = topic == null ? null : topic.partition(partitionId);
        ApiError error;
        MetadataRecord change = null;
        if (topic == null) {
            error = ApiError.of(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "No such topic as " + topicName);
        } else if (p == null) {
            error = ApiError.of(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "No such partition as " + topicName + "-"
                    + partitionId);
        } else if (type == PREFERRED) {
            int preferred = p.replicas().get(0);
            int leader = p.leader() == preferred ? preferred : preferredTarget(p, alive);
            error = p.leader() == preferred ? ApiError.of(ErrorCode.ELECTION_NOT_NEEDED, "Broker " + preferred
                    + " already leads " + topicName + "-" + partitionId)
                    : leader == PartitionRegistration.NO_LEADER ? ApiError.of(ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE,
                    "The preferred leader " + preferred + " of " + topicName + "-" + partitionId + " is not "
                            + (alive.test(preferred) ? "in the ISR " + p.isr() : "alive"))
                    : ApiError.NONE;
            if (error.isSuccess()) {
                change = Records.partitionChange(topic.id(), partitionId, leader, null);
            }
        } else if (p.leader() != PartitionRegistration.NO_LEADER) {
            error = ApiError.of(ErrorCode.ELECTION_NOT_NEEDED, topicName + "-" + partitionId + " has a leader ("
                    + p.leader() + ")");
        } else {
            change = PartitionLeadership.elect(topic, partitionId, p, alive, true, -1);
            error = change != null && change.getPartitionChange().hasLeader()
                    && change.getPartitionChange().getLeader() != PartitionRegistration.NO_LEADER ? ApiError.NONE
                    : ApiError.of(ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE, "No replica of " + topicName + "-"
                    + partitionId + " " + p.replicas() + " is alive");
        }
        if (!error.isSuccess()) {
            return out.setErrorCode(error.error().code()).setErrorMessage(error.message()).build();
        }
        records.add(change);
        return out.setErrorCode(0).setLeaderId(change.getPartitionChange().getLeader())
                .setLeaderEpoch(p.leaderEpoch() + 1).build();
    }

    /**
     * The leader a preferred election picks for a partition the first replica does not lead: the first replica if
     * it is alive and in the ISR; none if the current leader is alive and in the ISR; else the first alive ISR
     * member in replica order; {@link PartitionRegistration#NO_LEADER} when there is none.
     */
    private static int preferredTarget(PartitionRegistration p, IntPredicate alive) {
        int preferred = p.replicas().get(0);
        if (alive.test(preferred) && p.isr().contains(preferred)) {
            return preferred;
        }
        if (p.leader() != PartitionRegistration.NO_LEADER && alive.test(p.leader()) && p.isr().contains(p.leader())) {
            return PartitionRegistration.NO_LEADER;
        }
        for (int r : p.replicas()) {
            if (p.isr().contains(r) && alive.test(r)) {
                return r;
            }
        }
        return PartitionRegistration.NO_LEADER;
    }
}
