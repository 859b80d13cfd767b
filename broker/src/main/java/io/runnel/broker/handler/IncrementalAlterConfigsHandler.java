package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.controller.BrokerConfigs;
import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.record.ConfigResourceType;
import io.runnel.metadata.rpc.IncrementalAlterConfigsRequest;
import io.runnel.metadata.rpc.IncrementalAlterConfigsRequest.OpType;
import io.runnel.metadata.rpc.IncrementalAlterConfigsResponse;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * IncrementalAlterConfigs (key 44, v0-1; KIP-339). TOPIC resources go to the active controller (KIP-590), which
 * checks keys and values ({@code TopicConfigs}) and applies each resource's operations atomically: SET, DELETE, and
 * APPEND / SUBTRACT on list-typed keys ({@code cleanup.policy}, the throttled-replica lists). Per resource:
 * UNKNOWN_TOPIC_OR_PARTITION (3), INVALID_CONFIG (40) for an unknown key, a bad value, a missing value or APPEND /
 * SUBTRACT on a key that is not a list, INVALID_REQUEST (42) for an unknown operation or a resource or key listed
 * twice; NOT_CONTROLLER (41) or REQUEST_TIMED_OUT (7) when the controller cannot be reached.
 *
 * <p>BROKER resources (a broker id, or "" for the cluster default; KIP-226) go to the controller too when they only
 * touch the keys brokers apply at runtime ({@code BrokerConfigs.DYNAMIC}: the replication throttle rates of KIP-73);
 * any other broker key gets INVALID_REQUEST naming it, since brokers read it only at startup. BROKER_LOGGER and other
 * resource types get INVALID_REQUEST.
 *
 * <p>Without {@code validate_only}, the handler waits until this broker's image shows the SET and DELETE operations
 * (at most the controller request timeout), so a DescribeConfigs sent here next sees them.
 */
public final class IncrementalAlterConfigsHandler implements ApiHandler {
    private static final byte MAX_OP = 3;
    private final ControllerClient controller;
    private final ImageWaiter images;

    public IncrementalAlterConfigsHandler(ControllerClient controller, ImageWaiter images) {
        this.controller = controller;
        this.images = images;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        IncrementalAlterConfigsRequestData data = (IncrementalAlterConfigsRequestData) request.body();
        List<AlterConfigsResource> resources = new ArrayList<>(data.resources());
        AlterConfigsResourceResponse[] results = new AlterConfigsResourceResponse[resources.size()];
        IncrementalAlterConfigsRequest.Builder forward = IncrementalAlterConfigsRequest.newBuilder()
                .setValidateOnly(data.validateOnly());
        List<Integer> forwardIndex = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            AlterConfigsResource r = resources.get(i);
            ApiError local = check(r);
            if (local != null) {
                results[i] = result(r, ControllerErrors.of(local.error()), local.message());
                continue;
            }
            IncrementalAlterConfigsRequest.Resource.Builder out = IncrementalAlterConfigsRequest.Resource.newBuilder()
                    .setResourceType(resourceType(r)).setResourceName(r.resourceName());
            for (AlterableConfig c : r.configs()) {
                IncrementalAlterConfigsRequest.Op.Builder op = IncrementalAlterConfigsRequest.Op.newBuilder()
                        .setName(c.name()).setOp(OpType.forNumber(c.configOperation()));
                if (c.value() != null) {
                    op.setValue(c.value());
                }
                out.addOps(op);
            }
            forward.addResources(out);
            forwardIndex.add(i);
        }
        if (forwardIndex.isEmpty()) {
            return CompletableFuture.completedFuture(respond(results));
        }
        CompletableFuture<IncrementalAlterConfigsResponse> call;
        try {
            call = controller.incrementalAlterConfigs(forward.build());
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((resp, error) -> {
            Map<io.runnel.metadata.image.ConfigResource, Map<String, String>> expected = new HashMap<>();
            ApiError whole = error != null ? ControllerErrors.whole(error)
                    : resp.getResourcesCount() != forwardIndex.size() ? ApiError.of(ErrorCode.UNKNOWN_SERVER_ERROR,
                    "The controller answered " + resp.getResourcesCount() + " results for " + forwardIndex.size()
                            + " resources") : null;
            for (int j = 0; j < forwardIndex.size(); j++) {
                int i = forwardIndex.get(j);
                AlterConfigsResource r = resources.get(i);
                if (whole != null) {
                    results[i] = result(r, ControllerErrors.of(whole.error()), whole.message());
                    continue;
                }
                IncrementalAlterConfigsResponse.Resource out = resp.getResources(j);
                results[i] = result(r, ControllerErrors.forCode(out.getErrorCode()),
                        ControllerErrors.message(out.getErrorMessage()));
                if (out.getErrorCode() == 0 && !data.validateOnly()) {
                    expected.put(new io.runnel.metadata.image.ConfigResource(resourceType(r), r.resourceName()),
                            expectedValues(r));
                }
            }
            return expected;
        }).thenCompose(expected -> {
            if (expected.isEmpty()) {
                return CompletableFuture.completedFuture(respond(results));
            }
            return images.await(image -> applied(image, expected), controller.requestTimeout().toMillis())
                    .thenApply(visible -> respond(results));
        });
    }

    /** Null when the resource goes to the controller, else the error to answer. */
    private static ApiError check(AlterConfigsResource r) {
        ConfigResource.Type type = ConfigResource.Type.forId(r.resourceType());
        if (type == ConfigResource.Type.BROKER_LOGGER) {
            return ApiError.of(ErrorCode.INVALID_REQUEST, "Runnel does not change log levels at runtime (BROKER_LOGGER)");
        }
        if (type == ConfigResource.Type.BROKER) {
            // a DELETE of a key that cannot be set at runtime removes nothing and is let through: Kafka's
            // kafka-reassign-partitions --verify clears replica.alter.log.dirs.io.max.bytes.per.second with the rates
            List<String> fixed = r.configs().stream().filter(c -> c.configOperation() != OpType.DELETE_VALUE)
                    .map(AlterableConfig::name).filter(k -> !BrokerConfigs.DYNAMIC.contains(k)).sorted().toList();
            if (!fixed.isEmpty()) {
                return ApiError.of(ErrorCode.INVALID_REQUEST, "Cannot update these configs dynamically: " + fixed
                        + ". Runnel brokers apply only " + String.join(" and ", BrokerConfigs.DYNAMIC.stream()
                        .sorted().toList()) + " at runtime; set the others in the server properties (or with"
                        + " --override) and restart the broker");
            }
        } else if (type != ConfigResource.Type.TOPIC) {
            return ApiError.of(ErrorCode.INVALID_REQUEST, "Runnel alters TOPIC configs only, not " + type);
        }
        for (AlterableConfig c : r.configs()) {
            if (c.configOperation() < 0 || c.configOperation() > MAX_OP) {
                return ApiError.of(ErrorCode.INVALID_REQUEST, "Unknown config operation " + c.configOperation()
                        + " for config " + c.name());
            }
        }
        return null;
    }

    /** Key to value after the SET (value) and DELETE (null) operations; APPEND and SUBTRACT are not awaited. */
    private static Map<String, String> expectedValues(AlterConfigsResource r) {
        Map<String, String> m = new HashMap<>();
        for (AlterableConfig c : r.configs()) {
            if (c.configOperation() == OpType.SET_VALUE) {
                m.put(c.name(), c.value());
            } else if (c.configOperation() == OpType.DELETE_VALUE) {
                m.put(c.name(), null);
            }
        }
        return m;
    }

    private static boolean applied(MetadataImage image,
                                   Map<io.runnel.metadata.image.ConfigResource, Map<String, String>> expected) {
        for (Map.Entry<io.runnel.metadata.image.ConfigResource, Map<String, String>> resource : expected.entrySet()) {
            io.runnel.metadata.image.ConfigResource key = resource.getKey();
            if (key.type() == ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC
                    && !image.topicsByName().containsKey(key.name())) {
                continue; // deleted meanwhile
            }
            Map<String, String> current = image.configs().getOrDefault(key, Map.of());
            for (Map.Entry<String, String> e : resource.getValue().entrySet()) {
                if (!Objects.equals(current.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static ConfigResourceType resourceType(AlterConfigsResource r) {
        return ConfigResource.Type.forId(r.resourceType()) == ConfigResource.Type.BROKER
                ? ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER : ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC;
    }

    private static ApiResponse respond(AlterConfigsResourceResponse[] results) {
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData()
                .setThrottleTimeMs(0);
        for (AlterConfigsResourceResponse r : results) {
            response.responses().add(r);
        }
        return ApiResponse.send(response);
    }

    private static AlterConfigsResourceResponse result(AlterConfigsResource r, Errors error, String message) {
        return new AlterConfigsResourceResponse().setResourceType(r.resourceType())
                .setResourceName(r.resourceName()).setErrorCode(error.code()).setErrorMessage(message);
    }
}
