package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ConfigKey.Type.DOUBLE;
import static io.runnel.metadata.controller.ConfigKey.Type.INT;
import static io.runnel.metadata.controller.ConfigKey.Type.LIST;
import static io.runnel.metadata.controller.ConfigKey.Type.LONG;
import static io.runnel.metadata.controller.ConfigKey.Type.STRING;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The topic-level config keys Kafka 4.x defines (Kafka's {@code TopicConfig} / {@code LogConfig}), with their value
 * checks. CreateTopics and IncrementalAlterConfigs reject any other key, any value failing its check, any value
 * Runnel cannot honour yet ({@link UnsupportedTopicConfigs}) and a {@code min.compaction.lag.ms} above
 * {@code max.compaction.lag.ms} with INVALID_CONFIG (40) and a message naming the key.
 */
public final class TopicConfigs {
    private static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    private static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    /** Every known key by name. */
    public static final Map<String, ConfigKey> KEYS = List.of(
            ConfigKey.oneOf("cleanup.policy", LIST, "delete", "compact"),
            ConfigKey.oneOf("compression.type", STRING, "uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"),
            ConfigKey.number("compression.gzip.level", INT, -1, 9),
            ConfigKey.number("compression.lz4.level", INT, 1, 17),
            ConfigKey.number("compression.zstd.level", INT, -131072, 22),
            ConfigKey.atLeast("delete.retention.ms", LONG, 0),
            ConfigKey.atLeast("file.delete.delay.ms", LONG, 0),
            ConfigKey.atLeast("flush.messages", LONG, 1),
            ConfigKey.atLeast("flush.ms", LONG, 0),
            ConfigKey.oneOf("follower.replication.throttled.replicas", LIST),
            ConfigKey.atLeast("index.interval.bytes", INT, 0),
            ConfigKey.oneOf("leader.replication.throttled.replicas", LIST),
            ConfigKey.atLeast("local.retention.bytes", LONG, -2),
            ConfigKey.atLeast("local.retention.ms", LONG, -2),
            ConfigKey.atLeast("max.compaction.lag.ms", LONG, 1),
            ConfigKey.atLeast("max.message.bytes", INT, 0),
            ConfigKey.atLeast("message.timestamp.after.max.ms", LONG, 0),
            ConfigKey.atLeast("message.timestamp.before.max.ms", LONG, 0),
            ConfigKey.oneOf("message.timestamp.type", STRING, "CreateTime", "LogAppendTime"),
            ConfigKey.number("min.cleanable.dirty.ratio", DOUBLE, 0, 1),
            ConfigKey.atLeast("min.compaction.lag.ms", LONG, 0),
            ConfigKey.atLeast("min.insync.replicas", INT, 1),
            ConfigKey.bool("preallocate"),
            ConfigKey.bool("remote.storage.enable"),
            ConfigKey.bool("remote.log.copy.disable"),
            ConfigKey.bool("remote.log.delete.on.disable"),
            ConfigKey.atLeast("retention.bytes", LONG, Long.MIN_VALUE),
            ConfigKey.atLeast("retention.ms", LONG, -1),
            ConfigKey.atLeast("segment.bytes", INT, 1024 * 1024),
            ConfigKey.atLeast("segment.index.bytes", INT, 4),
            ConfigKey.atLeast("segment.jitter.ms", LONG, 0),
            ConfigKey.atLeast("segment.ms", LONG, 1),
            ConfigKey.bool("unclean.leader.election.enable")
    ).stream().collect(Collectors.toUnmodifiableMap(ConfigKey::name, Function.identity()));

    private TopicConfigs() {
    }

    /** NONE, or INVALID_CONFIG naming the first unknown key or invalid value (keys checked in sorted order). */
    public static ApiError validate(Map<String, String> configs) {
        for (String key : configs.keySet().stream().sorted().toList()) {
            ApiError e = validate(key, configs.get(key));
            if (!e.isSuccess()) {
                return e;
            }
        }
        return validateCombination(configs);
    }

    /**
     * NONE, or INVALID_CONFIG when a topic's complete overrides (each already valid) conflict, as Kafka's
     * {@code LogConfig.validateValues}: {@code min.compaction.lag.ms} above {@code max.compaction.lag.ms}, a key
     * that is not set counting with Kafka's default (0 and Long.MAX_VALUE).
     */
    public static ApiError validateCombination(Map<String, String> configs) {
        long minLag = longOr(configs.get(MIN_COMPACTION_LAG_MS), 0L);
        long maxLag = longOr(configs.get(MAX_COMPACTION_LAG_MS), Long.MAX_VALUE);
        if (minLag > maxLag) {
            return ApiError.of(ErrorCode.INVALID_CONFIG, "conflict topic config setting " + MIN_COMPACTION_LAG_MS
                    + " (" + minLag + ") > " + MAX_COMPACTION_LAG_MS + " (" + maxLag + ")");
        }
        return ApiError.NONE;
    }

    /** A stored value that does not parse (written around these checks) counts as unset. */
    private static long longOr(String value, long fallback) {
        try {
            return value == null ? fallback : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The replica lists of the replication throttles (KIP-73): {@code *} or {@code partition:broker} pairs. */
    private static final java.util.Set<String> THROTTLED_REPLICAS = java.util.Set.of(
            "leader.replication.throttled.replicas", "follower.replication.throttled.replicas");

    /** NONE, or INVALID_CONFIG for an unknown key, an invalid value or one Runnel cannot honour yet. */
    public static ApiError validate(String key, String value) {
        ConfigKey def = KEYS.get(key);
        if (def == null) {
            return ApiError.of(ErrorCode.INVALID_CONFIG, "Unknown topic config name: " + key);
        }
        String reason = def.invalidReason(value);
        if (reason == null && THROTTLED_REPLICAS.contains(key)) {
            reason = ThrottledReplicaList.invalidReason(key, value);
        }
        if (reason == null) {
            reason = UnsupportedTopicConfigs.refusal(key, value);
        }
        return reason == null ? ApiError.NONE : ApiError.of(ErrorCode.INVALID_CONFIG, reason);
    }
}
