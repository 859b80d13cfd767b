package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.controller.CreatableTopic;
import io.runnel.metadata.controller.CreateTopicResult;
import io.runnel.metadata.controller.PartitionAssignment;
import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.image.MetadataImage;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * CreateTopics (key 19, v2-7), forwarded to the active controller (KIP-590) through {@link ControllerClient}, which
 * validates and places replicas as Kafka does. Per topic, in request order:
 * <ul>
 *   <li>errors with messages (v1+): INVALID_TOPIC_EXCEPTION (17), TOPIC_ALREADY_EXISTS (36), INVALID_PARTITIONS (37),
 *       INVALID_REPLICATION_FACTOR (38), INVALID_CONFIG (40), INVALID_REQUEST (42) for a name listed twice or for
 *       manual {@code assignments} with a partition count or replication factor other than -1;
 *       INVALID_REPLICA_ASSIGNMENT (39) for manual assignments the controller refuses (unknown or repeated broker,
 *       uneven replica counts, partition ids not 0..n-1, only fenced replicas); when the controller cannot be
 *       reached, every topic gets NOT_CONTROLLER (41), which Admin retries, or REQUEST_TIMED_OUT (7);</li>
 *   <li>{@code -1} partitions or replication factor: the controller's {@code num.partitions} /
 *       {@code default.replication.factor} (KIP-464);</li>
 *   <li>{@code validate_only}: checked, nothing created;</li>
 *   <li>v5+ (KIP-525): the partition count and replication factor used and the topic's full configuration (as
 *       DescribeConfigs reports it); v7 (KIP-516): the topic id (zero for validate_only).</li>
 * </ul>
 * Before answering, the handler waits until this broker's image holds every created topic, at most
 * {@code timeout_ms} from the request's arrival, so the client's next Metadata sent here finds them; a topic that
 * is late is still reported created (the controller committed it).
 */
public final class CreateTopicsHandler implements ApiHandler {
    private final ControllerClient controller;
    private final ImageWaiter images;
    private final TopicConfigDescriber configs;

    public CreateTopicsHandler(ControllerClient controller, ImageWaiter images, TopicConfigDescriber configs) {
        this.controller = controller;
        this.images = images;
        this.configs = configs;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_TOPICS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        CreateTopicsRequestData data = (CreateTopicsRequestData) request.body();
        short version = request.version();
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, data.timeoutMs()));
        List<CreateTopicsRequestData.CreatableTopic> requested = new ArrayList<>(data.topics());
        CreatableTopicResult[] results = new CreatableTopicResult[requested.size()];
        List<CreatableTopic> forward = new ArrayList<>();
        List<Integer> forwardIndex = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            CreateTopicsRequestData.CreatableTopic t = requested.get(i);
            Map<String, String> topicConfigs = new LinkedHashMap<>();
            String nullValued = null;
            for (CreatableTopicConfig c : t.configs()) {
                if (c.value() == null) {
                    nullValued = c.name();
                }
                topicConfigs.put(c.name(), c.value());
            }
            if (nullValued != null) {
                results[i] = failed(t.name(), Errors.INVALID_CONFIG, "Null value not supported for topic config: "
                        + nullValued, version);
            } else {
                List<PartitionAssignment> assignments = new ArrayList<>();
                for (CreatableReplicaAssignment a : t.assignments()) {
                    assignments.add(new PartitionAssignment(a.partitionIndex(), a.brokerIds()));
                }
                forward.add(new CreatableTopic(t.name(), t.numPartitions(), t.replicationFactor(), topicConfigs,
                        assignments));
                forwardIndex.add(i);
            }
        }
        if (forward.isEmpty()) {
            return CompletableFuture.completedFuture(respond(results));
        }
        return call(forward, data.validateOnly()).thenCompose(outcome -> {
            List<UUID> created = new ArrayList<>();
            for (int j = 0; j < forward.size(); j++) {
                int i = forwardIndex.get(j);
                if (outcome.failure() != null) {
                    ApiError e = outcome.failure();
                    results[i] = failed(forward.get(j).name(), ControllerErrors.of(e.error()), e.message(), version);
                    continue;
                }
                CreateTopicResult r = outcome.results().get(j);
                if (!r.error().isSuccess()) {
                    results[i] = failed(r.name(), ControllerErrors.of(r.error().error()), r.error().message(),
                            version);
                    continue;
                }
                results[i] = succeeded(r, forward.get(j).configs(), data.validateOnly(), version);
                if (!data.validateOnly() && r.topicId() != null) {
                    created.add(r.topicId());
                }
            }
            if (created.isEmpty()) {
                return CompletableFuture.completedFuture(respond(results));
            }
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
            return images.await(image -> containsAll(image, created), leftMs).thenApply(visible -> respond(results));
        });
    }

    /** The controller's per-topic results, or the whole request's failure. */
    private record Outcome(List<CreateTopicResult> results, ApiError failure) {
    }

    private CompletableFuture<Outcome> call(List<CreatableTopic> topics, boolean validateOnly) {
        CompletableFuture<List<CreateTopicResult>> f;
        try {
            f = controller.createTopics(topics, validateOnly);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((results, error) -> {
            if (error != null) {
                return new Outcome(null, ControllerErrors.whole(error));
            }
            if (results.size() != topics.size()) {
                return new Outcome(null, ApiError.of(io.runnel.metadata.errors.ErrorCode.UNKNOWN_SERVER_ERROR,
                        "The controller answered " + results.size() + " results for " + topics.size() + " topics"));
            }
            return new Outcome(results, null);
        });
    }

    private static boolean containsAll(MetadataImage image, List<UUID> ids) {
        for (UUID id : ids) {
            if (!image.topicsById().containsKey(id)) {
                return false;
            }
        }
        return true;
    }

    private static ApiResponse respond(CreatableTopicResult[] results) {
        CreateTopicsResponseData response = new CreateTopicsResponseData().setThrottleTimeMs(0);
        for (CreatableTopicResult r : results) {
            response.topics().add(r);
        }
        return ApiResponse.send(response);
    }

    private static CreatableTopicResult failed(String name, Errors error, String message, short version) {
        CreatableTopicResult r = new CreatableTopicResult().setName(name).setErrorCode(error.code());
        if (version >= 1) {
            r.setErrorMessage(ControllerErrors.message(message));
        }
        if (version >= 5) {
            r.setNumPartitions(-1).setReplicationFactor((short) -1).setConfigs(new ArrayList<>());
        }
        return r;
    }

    private CreatableTopicResult succeeded(CreateTopicResult created, Map<String, String> overrides,
                                           boolean validateOnly, short version) {
        CreatableTopicResult r = new CreatableTopicResult().setName(created.name()).setErrorCode(Errors.NONE.code());
        if (version >= 5) {
            List<CreatableTopicConfigs> entries = new ArrayList<>();
            for (DescribedConfig e : configs.describe(overrides, null, false)) {
                entries.add(new CreatableTopicConfigs().setName(e.name()).setValue(e.value())
                        .setReadOnly(e.readOnly()).setConfigSource(e.source().id()).setIsSensitive(e.sensitive()));
            }
            r.setNumPartitions(created.numPartitions()).setReplicationFactor(created.replicationFactor())
                    .setConfigs(entries);
        }
        if (version >= 7) {
            UUID id = created.topicId();
            r.setTopicId(validateOnly || id == null ? Uuid.ZERO_UUID
                    : new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits()));
        }
        return r;
    }
}
