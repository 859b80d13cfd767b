package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.rpc.AlterPartitionReassignmentsRequest;
import io.runnel.metadata.rpc.AlterPartitionReassignmentsResponse;
import io.runnel.metadata.rpc.PartitionResult;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * AlterPartitionReassignments (key 45, v0; KIP-455), forwarded to the active controller (KIP-590): moves each
 * partition to its target replicas, or cancels the move in progress when the replicas are null. Per partition:
 * UNKNOWN_TOPIC_OR_PARTITION (3); INVALID_REPLICA_ASSIGNMENT (39) for an empty target, a duplicate or an unregistered
 * broker, or a cancel needing an unclean election; NO_REASSIGNMENT_IN_PROGRESS (85) for a cancel with none;
 * INVALID_REQUEST (42) for a partition named twice; NOT_CONTROLLER (41) or REQUEST_TIMED_OUT (7) for all when the
 * controller cannot be reached. The top-level error stays NONE, as Kafka's does for per-partition errors.
 *
 * <p>Before answering, the handler waits until this broker's image shows each accepted change (the target replicas
 * in the replica list; for a cancel, no reassignment in progress), at most {@code timeout_ms}.
 */
public final class AlterPartitionReassignmentsHandler implements ApiHandler {
    private final ControllerClient controller;
    private final ImageWaiter images;

    public AlterPartitionReassignmentsHandler(ControllerClient controller, ImageWaiter images) {
        this.controller = controller;
        this.images = images;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_PARTITION_REASSIGNMENTS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        AlterPartitionReassignmentsRequestData data = (AlterPartitionReassignmentsRequestData) request.body();
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, data.timeoutMs()));
        AlterPartitionReassignmentsRequest.Builder forward = AlterPartitionReassignmentsRequest.newBuilder();
        for (ReassignableTopic t : data.topics()) {
            for (ReassignablePartition p : t.partitions()) {
                AlterPartitionReassignmentsRequest.Partition.Builder fp = AlterPartitionReassignmentsRequest
                        .Partition.newBuilder().setTopic(t.name()).setPartition(p.partitionIndex());
                if (p.replicas() == null) {
                    fp.setCancel(true);
                } else {
                    fp.addAllReplicas(p.replicas());
                }
                forward.addPartitions(fp);
            }
        }
        AlterPartitionReassignmentsRequest req = forward.build();
        if (req.getPartitionsCount() == 0) {
            return CompletableFuture.completedFuture(respond(req, null, ApiError.NONE));
        }
        CompletableFuture<AlterPartitionReassignmentsResponse> call;
        try {
            call = controller.alterPartitionReassignments(req);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((resp, error) -> {
            ApiError whole = error != null ? ControllerErrors.whole(error)
                    : resp.getPartitionsCount() != req.getPartitionsCount() ? ApiError.of(
                    ErrorCode.UNKNOWN_SERVER_ERROR, "The controller answered " + resp.getPartitionsCount()
                            + " results for " + req.getPartitionsCount() + " partitions") : ApiError.NONE;
            ApiResponse answer = respond(req, resp, whole);
            if (!whole.isSuccess()) {
                return CompletableFuture.completedFuture(answer);
            }
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
            return images.await(image -> allVisible(image, req, resp), leftMs).thenApply(visible -> answer);
        }).thenCompose(answer -> answer);
    }

    /** True when every accepted change shows in {@code image} (or its topic or partition is gone). */
    private static boolean allVisible(MetadataImage image, AlterPartitionReassignmentsRequest req,
                                      AlterPartitionReassignmentsResponse resp) {
        for (int i = 0; i < req.getPartitionsCount(); i++) {
            AlterPartitionReassignmentsRequest.Partition rp = req.getPartitions(i);
            if (resp.getPartitions(i).getErrorCode() != 0) {
                continue;
            }
            TopicImage t = image.topicsByName().get(rp.getTopic());
            PartitionRegistration p = t == null ? null : t.partition(rp.getPartition());
            if (p == null) {
                continue;
            }
            if (rp.getCancel() ? p.isReassigning() : !p.replicas().containsAll(rp.getReplicasList())) {
                return false;
            }
        }
        return true;
    }

    private static ApiResponse respond(AlterPartitionReassignmentsRequest req,
                                       AlterPartitionReassignmentsResponse resp, ApiError whole) {
        Map<String, ReassignableTopicResponse> topics = new LinkedHashMap<>();
        for (int i = 0; i < req.getPartitionsCount(); i++) {
            AlterPartitionReassignmentsRequest.Partition rp = req.getPartitions(i);
            Errors error;
            String message;
            if (!whole.isSuccess()) {
                error = ControllerErrors.of(whole.error());
                message = whole.message();
            } else {
                PartitionResult r = resp.getPartitions(i);
                error = ControllerErrors.forCode(r.getErrorCode());
                message = ControllerErrors.message(r.getErrorMessage());
            }
            topics.computeIfAbsent(rp.getTopic(), name -> new ReassignableTopicResponse().setName(name)
                    .setPartitions(new ArrayList<>())).partitions().add(new ReassignablePartitionResponse()
                    .setPartitionIndex(rp.getPartition()).setErrorCode(error.code()).setErrorMessage(message));
        }
        List<ReassignableTopicResponse> responses = new ArrayList<>(topics.values());
        return ApiResponse.send(new AlterPartitionReassignmentsResponseData().setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code()).setErrorMessage(null).setResponses(responses));
    }
}
