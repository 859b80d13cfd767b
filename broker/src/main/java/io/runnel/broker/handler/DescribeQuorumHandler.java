package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.quorum.QuorumInfo;
import io.runnel.metadata.quorum.QuorumVoter;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.DescribeQuorumResponseData.Listener;
import org.apache.kafka.common.message.DescribeQuorumResponseData.ListenerCollection;
import org.apache.kafka.common.message.DescribeQuorumResponseData.Node;
import org.apache.kafka.common.message.DescribeQuorumResponseData.NodeCollection;
import org.apache.kafka.common.message.DescribeQuorumResponseData.PartitionData;
import org.apache.kafka.common.message.DescribeQuorumResponseData.ReplicaState;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeQuorumRequest;
import org.apache.kafka.common.requests.DescribeQuorumResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeQuorum (key 55, v0-2; KIP-595, KIP-836 timestamps, KIP-853 nodes), forwarded to the active controller
 * (KIP-590), reporting the Ratis metadata quorum as Kafka reports its KRaft quorum, for
 * {@code Admin.describeMetadataQuorum()} and {@code kafka-metadata-quorum.sh}: leader id, leader epoch (the Ratis
 * term), high watermark (the commit index), voters and observers with their log end offset (Ratis index), and from v1
 * last fetch and last caught-up timestamps (epoch ms, -1 unknown). v2 adds each voter's endpoint on the controller
 * listener ({@code nodes}, from the controller's live configuration, so voters added or removed by AddRaftVoter /
 * RemoveRaftVoter show) and zero replica directory ids (Runnel has no KIP-853 directory ids).
 *
 * <p>Only the partition {@code __cluster_metadata-0} exists: any other request gets UNKNOWN_TOPIC_OR_PARTITION (3)
 * per partition, as Kafka answers. When no controller answers, the top-level error is NOT_CONTROLLER (41) or
 * REQUEST_TIMED_OUT (7), both of which Admin retries.
 */
public final class DescribeQuorumHandler implements ApiHandler {
    /** The metadata log's topic partition in KRaft; Runnel's Ratis log stands in for it. */
    public static final TopicPartition METADATA_PARTITION = new TopicPartition("__cluster_metadata", 0);
    private final ControllerClient controller;
    private final String controllerListener;
    private final List<QuorumVoter> voters;

    /**
     * @param controllerListener the first of {@code controller.listener.names} (e.g. {@code CONTROLLER})
     * @param voters             {@code controller.quorum.voters}, for the v2 {@code nodes} list; may be empty
     */
    public DescribeQuorumHandler(ControllerClient controller, String controllerListener, List<QuorumVoter> voters) {
        this.controller = controller;
        this.controllerListener = Objects.requireNonNull(controllerListener, "controllerListener");
        this.voters = List.copyOf(voters);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_QUORUM;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        DescribeQuorumRequestData data = (DescribeQuorumRequestData) request.body();
        short version = request.version();
        if (!asksForMetadataPartition(data)) {
            return CompletableFuture.completedFuture(ApiResponse.send(
                    DescribeQuorumRequest.getPartitionLevelErrorResponse(data, Errors.UNKNOWN_TOPIC_OR_PARTITION)));
        }
        CompletableFuture<QuorumInfo> call;
        try {
            call = controller.describeQuorum();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((info, error) -> {
            if (error != null) {
                ApiError e = ControllerErrors.whole(error);
                DescribeQuorumResponseData failed = new DescribeQuorumResponseData()
                        .setErrorCode(ControllerErrors.of(e.error()).code());
                if (version >= 2) {
                    failed.setErrorMessage(e.message());
                }
                return ApiResponse.send(failed);
            }
            return ApiResponse.send(describe(info, version));
        });
    }

    private static boolean asksForMetadataPartition(DescribeQuorumRequestData data) {
        if (data.topics().size() != 1) {
            return false;
        }
        DescribeQuorumRequestData.TopicData t = data.topics().get(0);
        return METADATA_PARTITION.topic().equals(t.topicName()) && t.partitions().size() == 1
                && t.partitions().get(0).partitionIndex() == METADATA_PARTITION.partition();
    }

    private DescribeQuorumResponseData describe(QuorumInfo info, short version) {
        PartitionData partition = new PartitionData().setPartitionIndex(METADATA_PARTITION.partition())
                .setErrorCode(Errors.NONE.code()).setLeaderId(info.leaderId())
                .setLeaderEpoch((int) Math.min(Integer.MAX_VALUE, info.leaderEpoch()))
                .setHighWatermark(info.highWatermark())
                .setCurrentVoters(replicas(info.voters(), version))
                .setObservers(replicas(info.observers(), version));
        NodeCollection nodes = new NodeCollection();
        if (version >= 2) {
            for (QuorumVoter v : nodeVoters(info)) {
                ListenerCollection listeners = new ListenerCollection();
                listeners.add(new Listener().setName(controllerListener).setHost(v.host()).setPort(v.port()));
                nodes.add(new Node().setNodeId(v.id()).setListeners(listeners));
            }
        }
        DescribeQuorumResponseData response = DescribeQuorumResponse.singletonResponse(METADATA_PARTITION, partition,
                nodes);
        if (version < 2) {
            response.setNodes(new NodeCollection());
        }
        return response;
    }

    /**
     * The voters' endpoints: from the live Ratis configuration the controller reports (it follows AddRaftVoter and
     * RemoveRaftVoter, KIP-853), else {@code controller.quorum.voters}.
     */
    private List<QuorumVoter> nodeVoters(QuorumInfo info) {
        if (info.voterAddresses().isEmpty()) {
            return voters;
        }
        List<QuorumVoter> out = new ArrayList<>();
        info.voterAddresses().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e ->
                out.add(QuorumVoter.parse(e.getKey() + "@" + e.getValue())));
        return out;
    }

    private static List<ReplicaState> replicas(List<QuorumInfo.ReplicaState> states, short version) {
        List<ReplicaState> out = new ArrayList<>(states.size());
        for (QuorumInfo.ReplicaState s : states) {
            ReplicaState r = new ReplicaState().setReplicaId(s.replicaId()).setLogEndOffset(s.logEndOffset());
            if (version >= 1) {
                r.setLastFetchTimestamp(s.lastFetchTimestampMs()).setLastCaughtUpTimestamp(
                        s.lastCaughtUpTimestampMs());
            }
            if (version >= 2) {
                r.setReplicaDirectoryId(Uuid.ZERO_UUID);
            }
            out.add(r);
        }
        return out;
    }
}
