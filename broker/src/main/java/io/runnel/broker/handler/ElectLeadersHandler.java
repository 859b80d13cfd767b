package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.rpc.ControllerRequest;
import io.runnel.metadata.rpc.ControllerResponse;
import io.runnel.metadata.rpc.ElectLeadersRequest;
import io.runnel.metadata.rpc.ElectLeadersResponse;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersRequestData.TopicPartitions;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * ElectLeaders (key 43, v0-2, v2 flexible; KIP-183 preferred, KIP-460 unclean), forwarded to the active controller
 * (KIP-590), which decides as Kafka's does ({@code io.runnel.metadata.controller.LeaderElection}). v0 carries no
 * election type and means PREFERRED (0); v1+ name it (0 PREFERRED, 1 UNCLEAN). A null topic list elects over every
 * partition and answers only the partitions where an election was needed. Per partition: NONE (0),
 * UNKNOWN_TOPIC_OR_PARTITION (3), PREFERRED_LEADER_NOT_AVAILABLE (80), ELIGIBLE_LEADERS_NOT_AVAILABLE (83),
 * ELECTION_NOT_NEEDED (84). When the controller cannot be reached (NOT_CONTROLLER 41, which Admin retries;
 * REQUEST_TIMED_OUT 7) or the election type is unknown (INVALID_REQUEST 42), v1+ answer it as the top-level error
 * code and v0 as every requested partition's error.
 *
 * <p>Before answering, the handler waits until this broker's image shows every new leader (its leader epoch), at
 * most {@code timeout_ms} (ms) from the request's arrival, so a client's next metadata request sees the result.
 */
public final class ElectLeadersHandler implements ApiHandler {
    private final ControllerClient controller;
    private final ImageWaiter images;

    public ElectLeadersHandler(ControllerClient controller, ImageWaiter images) {
        this.controller = controller;
        this.images = images;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ELECT_LEADERS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        ElectLeadersRequestData data = (ElectLeadersRequestData) request.body();
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, data.timeoutMs()));
        ElectLeadersRequest.Builder forward = ElectLeadersRequest.newBuilder()
                .setElectionType(request.version() == 0 ? 0 : data.electionType())
                .setAllPartitions(data.topicPartitions() == null);
        if (data.topicPartitions() != null) {
            for (TopicPartitions t : data.topicPartitions()) {
                forward.addTopics(ElectLeadersRequest.Topic.newBuilder().setName(t.topic())
                        .addAllPartitions(t.partitions()));
            }
        }
        CompletableFuture<ControllerResponse> call;
        try {
            call = controller.send(ControllerRequest.newBuilder().setElectLeaders(forward).build(),
                    controller.requestTimeout());
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.thenApply(ControllerResponse::getElectLeaders).handle((resp, error) -> {
            if (error != null) {
                ApiError whole = ControllerErrors.whole(error);
                return CompletableFuture.completedFuture(ApiResponse.send(failed(data, request.version(), whole)));
            }
            Map<String, Map<Integer, Integer>> epochs = new HashMap<>();
            for (ElectLeadersResponse.Topic t : resp.getTopicsList()) {
                for (ElectLeadersResponse.Partition p : t.getPartitionsList()) {
                    if (p.getErrorCode() == 0) {
                        epochs.computeIfAbsent(t.getName(), k -> new HashMap<>()).put(p.getPartition(),
                                p.getLeaderEpoch());
                    }
                }
            }
            ApiResponse answer = ApiResponse.send(response(resp));
            if (epochs.isEmpty()) {
                return CompletableFuture.completedFuture(answer);
            }
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
            return images.await(image -> visible(image, epochs), leftMs).thenApply(shown -> answer);
        }).thenCompose(f -> f);
    }

    /** True when every elected partition shows at least its new leader epoch, or is gone. */
    private static boolean visible(MetadataImage image, Map<String, Map<Integer, Integer>> epochs) {
        for (Map.Entry<String, Map<Integer, Integer>> t : epochs.entrySet()) {
            TopicImage topic = image.topicsByName().get(t.getKey());
            if (topic == null) {
                continue;
            }
            for (Map.Entry<Integer, Integer> p : t.getValue().entrySet()) {
                PartitionRegistration r = topic.partition(p.getKey());
                if (r != null && r.leaderEpoch() < p.getValue()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static ElectLeadersResponseData response(ElectLeadersResponse resp) {
        ElectLeadersResponseData out = new ElectLeadersResponseData().setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code());
        for (ElectLeadersResponse.Topic t : resp.getTopicsList()) {
            ReplicaElectionResult topic = new ReplicaElectionResult().setTopic(t.getName());
            for (ElectLeadersResponse.Partition p : t.getPartitionsList()) {
                topic.partitionResult().add(new PartitionResult().setPartitionId(p.getPartition())
                        .setErrorCode((short) p.getErrorCode())
                        .setErrorMessage(ControllerErrors.message(p.getErrorMessage())));
            }
            out.replicaElectionResults().add(topic);
        }
        return out;
    }

    /** The whole request failed: the top-level error (v1+), or every requested partition's error (v0). */
    private static ElectLeadersResponseData failed(ElectLeadersRequestData data, short version, ApiError whole) {
        Errors error = ControllerErrors.of(whole.error());
        ElectLeadersResponseData out = new ElectLeadersResponseData().setThrottleTimeMs(0);
        if (version >= 1) {
            return out.setErrorCode(error.code());
        }
        if (data.topicPartitions() != null) {
            for (TopicPartitions t : data.topicPartitions()) {
                ReplicaElectionResult topic = new ReplicaElectionResult().setTopic(t.topic());
                for (int p : t.partitions()) {
                    topic.partitionResult().add(new PartitionResult().setPartitionId(p).setErrorCode(error.code())
                            .setErrorMessage(whole.message()));
                }
                out.replicaElectionResults().add(topic);
            }
        }
        return out;
    }
}
