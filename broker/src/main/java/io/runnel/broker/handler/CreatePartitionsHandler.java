package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.record.BrokerIdList;
import io.runnel.metadata.rpc.CreatePartitionsRequest;
import io.runnel.metadata.rpc.CreatePartitionsResponse;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * CreatePartitions (key 37, v0-3; KIP-195), forwarded to the active controller (KIP-590): grows each topic to
 * {@code count} partitions, placed like new topics' partitions or, with {@code assignments}, on the listed brokers
 * (one replica list per new partition, preferred leader first). Per topic, in request order:
 * UNKNOWN_TOPIC_OR_PARTITION (3); INVALID_PARTITIONS (37) when the count is not above the current one;
 * INVALID_REPLICATION_FACTOR (38) when fewer brokers are unfenced than the topic's replication factor;
 * INVALID_REQUEST (42) for a topic named twice; INVALID_REPLICA_ASSIGNMENT (39) for assignments the controller
 * refuses (a list count other than the partitions added, a replica count other than the topic's, an unknown or
 * repeated broker, only fenced replicas); NOT_CONTROLLER (41, retried by Admin) or REQUEST_TIMED_OUT (7) for all
 * when the controller cannot be reached. {@code validate_only} checks without creating.
 *
 * <p>Before answering, the handler waits until this broker's image shows the new partitions, at most
 * {@code timeout_ms} from the request's arrival.
 */
public final class CreatePartitionsHandler implements ApiHandler {
    private final ControllerClient controller;
    private final ImageWaiter images;

    public CreatePartitionsHandler(ControllerClient controller, ImageWaiter images) {
        this.controller = controller;
        this.images = images;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        CreatePartitionsRequestData data = (CreatePartitionsRequestData) request.body();
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, data.timeoutMs()));
        List<CreatePartitionsTopic> topics = new ArrayList<>(data.topics());
        CreatePartitionsTopicResult[] results = new CreatePartitionsTopicResult[topics.size()];
        CreatePartitionsRequest.Builder forward = CreatePartitionsRequest.newBuilder()
                .setValidateOnly(data.validateOnly());
        List<Integer> forwardIndex = new ArrayList<>();
        for (int i = 0; i < topics.size(); i++) {
            CreatePartitionsTopic t = topics.get(i);
            CreatePartitionsRequest.Topic.Builder ft = CreatePartitionsRequest.Topic.newBuilder().setName(t.name())
                    .setCount(t.count());
            if (t.assignments() != null) {
                CreatePartitionsRequest.ManualAssignments.Builder manual =
                        CreatePartitionsRequest.ManualAssignments.newBuilder();
                for (CreatePartitionsAssignment a : t.assignments()) {
                    manual.addPartitions(BrokerIdList.newBuilder().addAllIds(a.brokerIds()));
                }
                ft.setAssignments(manual);
            }
            forward.addTopics(ft);
            forwardIndex.add(i);
        }
        if (forwardIndex.isEmpty()) {
            return CompletableFuture.completedFuture(respond(results));
        }
        CompletableFuture<CreatePartitionsResponse> call;
        try {
            call = controller.createPartitions(forward.build());
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((resp, error) -> {
            Map<String, Integer> grown = new LinkedHashMap<>();
            ApiError whole = error != null ? ControllerErrors.whole(error)
                    : resp.getTopicsCount() != forwardIndex.size() ? ApiError.of(ErrorCode.UNKNOWN_SERVER_ERROR,
                    "The controller answered " + resp.getTopicsCount() + " results for " + forwardIndex.size()
                            + " topics") : null;
            for (int j = 0; j < forwardIndex.size(); j++) {
                int i = forwardIndex.get(j);
                CreatePartitionsTopic t = topics.get(i);
                if (whole != null) {
                    results[i] = result(t.name(), ControllerErrors.of(whole.error()), whole.message());
                    continue;
                }
                CreatePartitionsResponse.Topic r = resp.getTopics(j);
                results[i] = result(t.name(), ControllerErrors.forCode(r.getErrorCode()),
                        ControllerErrors.message(r.getErrorMessage()));
                if (r.getErrorCode() == 0 && !data.validateOnly()) {
                    grown.put(t.name(), t.count());
                }
            }
            return grown;
        }).thenCompose(grown -> {
            if (grown.isEmpty()) {
                return CompletableFuture.completedFuture(respond(results));
            }
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
            return images.await(image -> allGrown(image, grown), leftMs).thenApply(visible -> respond(results));
        });
    }

    /** True when every topic has at least its new count of partitions, or is gone (deleted meanwhile). */
    private static boolean allGrown(MetadataImage image, Map<String, Integer> counts) {
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            TopicImage t = image.topicsByName().get(e.getKey());
            if (t != null && t.partitions().size() < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static ApiResponse respond(CreatePartitionsTopicResult[] results) {
        CreatePartitionsResponseData response = new CreatePartitionsResponseData().setThrottleTimeMs(0);
        for (CreatePartitionsTopicResult r : results) {
            response.results().add(r);
        }
        return ApiResponse.send(response);
    }

    private static CreatePartitionsTopicResult result(String name, Errors error, String message) {
        return new CreatePartitionsTopicResult().setName(name).setErrorCode(error.code()).setErrorMessage(message);
    }
}
