package io.runnel.metadata.controller;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.ConfigResource;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.record.ConfigResourceType;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.rpc.IncrementalAlterConfigsRequest;
import io.runnel.metadata.rpc.IncrementalAlterConfigsRequest.Op;
import io.runnel.metadata.rpc.IncrementalAlterConfigsRequest.OpType;
import io.runnel.metadata.rpc.IncrementalAlterConfigsResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * IncrementalAlterConfigs (API key 44; KIP-339) for topic and broker resources. Each resource succeeds or fails as a
 * whole: one ConfigRecord per op (a value for SET/APPEND/SUBTRACT, none for DELETE). Errors per resource:
 * UNKNOWN_TOPIC_OR_PARTITION (3); INVALID_CONFIG (40) for an unknown topic key, a value failing its key's check
 * ({@link TopicConfigs}, {@link BrokerConfigs}) or that Runnel cannot honour yet ({@link UnsupportedTopicConfigs};
 * for APPEND/SUBTRACT the resulting list counts), a topic whose resulting configs conflict
 * ({@link TopicConfigs#validateCombination}), a missing value, or APPEND/SUBTRACT on a key that is not a list;
 * INVALID_REQUEST (42) for an unsupported resource type, a broker name that is neither "" nor a broker id, a
 * resource listed twice or a key listed twice in one resource.
 */
public final class ConfigAlteration {
    /** Defaults of list-typed topic keys, the base APPEND/SUBTRACT work on when the key is unset. */
    private static final Map<String, String> LIST_DEFAULTS = Map.of("cleanup.policy", "delete");

    private ConfigAlteration() {
    }

    public static ControllerResult<IncrementalAlterConfigsResponse> alter(MetadataImage image,
                                                                         IncrementalAlterConfigsRequest req) {
        Map<ConfigResource, Integer> occurrences = new HashMap<>();
        req.getResourcesList().forEach(r -> occurrences.merge(new ConfigResource(r.getResourceType(),
                r.getResourceName()), 1, Integer::sum));
        List<MetadataRecord> records = new ArrayList<>();
        IncrementalAlterConfigsResponse.Builder resp = IncrementalAlterConfigsResponse.newBuilder();
        for (IncrementalAlterConfigsRequest.Resource r : req.getResourcesList()) {
            List<MetadataRecord> mine = new ArrayList<>();
            ConfigResource resource = new ConfigResource(r.getResourceType(), r.getResourceName());
            ApiError e = occurrences.get(resource) > 1 ? ApiError.of(ErrorCode.INVALID_REQUEST, "Resource "
                    + r.getResourceType() + " '" + r.getResourceName() + "' is listed twice")
                    : alterOne(image, r, mine);
            IncrementalAlterConfigsResponse.Resource.Builder out = IncrementalAlterConfigsResponse.Resource
                    .newBuilder().setResourceType(r.getResourceType()).setResourceName(r.getResourceName())
                    .setErrorCode(e.error().code());
            if (e.message() != null) {
                out.setErrorMessage(e.message());
            }
            resp.addResources(out);
            if (e.isSuccess() && !req.getValidateOnly()) {
                records.addAll(mine);
            }
        }
        return new ControllerResult<>(records, resp.build());
    }

    private static ApiError alterOne(MetadataImage image, IncrementalAlterConfigsRequest.Resource r,
                                     List<MetadataRecord> out) {
        boolean topic = r.getResourceType() == ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC;
        if (topic) {
            if (!image.topicsByName().containsKey(r.getResourceName())) {
                return ApiError.of(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + r.getResourceName()
                        + "' does not exist");
            }
        } else if (r.getResourceType() == ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER) {
            if (!r.getResourceName().isEmpty() && !r.getResourceName().matches("\\d{1,9}")) {
                return ApiError.of(ErrorCode.INVALID_REQUEST, "Invalid broker name '" + r.getResourceName()
                        + "': expected a broker id or \"\" for the cluster default");
            }
        } else {
            return ApiError.of(ErrorCode.INVALID_REQUEST, "Unsupported config resource type "
                    + r.getResourceTypeValue());
        }
        Set<String> keys = new HashSet<>();
        Map<String, String> current = image.configs().getOrDefault(new ConfigResource(r.getResourceType(),
                r.getResourceName()), Map.of());
        Map<String, String> result = new HashMap<>(current);
        for (Op op : r.getOpsList()) {
            if (!keys.add(op.getName())) {
                return ApiError.of(ErrorCode.INVALID_REQUEST, "Config key '" + op.getName() + "' is listed twice");
            }
            ConfigKey def = topic ? TopicConfigs.KEYS.get(op.getName()) : BrokerConfigs.CHECKED.get(op.getName());
            if (topic && def == null) {
                return ApiError.of(ErrorCode.INVALID_CONFIG, "Unknown topic config name: " + op.getName());
            }
            String value;
            if (op.getOp() == OpType.DELETE) {
                value = null;
            } else if (!op.hasValue()) {
                return ApiError.of(ErrorCode.INVALID_CONFIG, "Config '" + op.getName() + "' needs a value for "
                        + op.getOp());
            } else if (op.getOp() == OpType.SET) {
                value = op.getValue();
            } else if (op.getOp() == OpType.APPEND || op.getOp() == OpType.SUBTRACT) {
                if (def == null || def.type() != ConfigKey.Type.LIST) {
                    return ApiError.of(ErrorCode.INVALID_CONFIG, "Config value " + op.getOp().name().toLowerCase()
                            + " is not allowed for config key: " + op.getName());
                }
                value = combine(current.getOrDefault(op.getName(), LIST_DEFAULTS.getOrDefault(op.getName(), "")),
                        op.getValue(), op.getOp() == OpType.APPEND);
            } else {
                return ApiError.of(ErrorCode.INVALID_REQUEST, "Unknown config operation " + op.getOpValue());
            }
            if (value != null) {
                ApiError e = topic ? TopicConfigs.validate(op.getName(), value)
                        : BrokerConfigs.validate(op.getName(), value);
                if (!e.isSuccess()) {
                    return e;
                }
            } else if (op.getName().isEmpty()) {
                return ApiError.of(ErrorCode.INVALID_CONFIG, "Config key is empty");
            }
            out.add(Records.config(r.getResourceType(), r.getResourceName(), op.getName(), value));
            if (value == null) {
                result.remove(op.getName());
            } else {
                result.put(op.getName(), value);
            }
        }
        return topic ? TopicConfigs.validateCombination(result) : ApiError.NONE;
    }

    private static String combine(String current, String operand, boolean append) {
        Set<String> items = new LinkedHashSet<>(ConfigKey.items(current));
        if (append) {
            items.addAll(ConfigKey.items(operand));
        } else {
            items.removeAll(ConfigKey.items(operand));
        }
        return String.join(",", items);
    }
}
