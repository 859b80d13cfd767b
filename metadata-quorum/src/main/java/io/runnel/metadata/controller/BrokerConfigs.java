package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ConfigKey.Type.INT;
import static io.runnel.metadata.controller.ConfigKey.Type.LONG;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Broker-level dynamic config keys whose values the controller checks (Kafka's {@code KafkaConfig} / {@code
 * ServerLogConfigs} ranges). Other broker keys are stored as given: brokers own their meaning.
 */
public final class BrokerConfigs {
    /** KIP-73: bytes/s this broker may send to throttled followers, as leader. */
    public static final String LEADER_THROTTLED_RATE = "leader.replication.throttled.rate";
    /** KIP-73: bytes/s this broker's throttled followers may fetch. */
    public static final String FOLLOWER_THROTTLED_RATE = "follower.replication.throttled.rate";
    /**
     * The broker keys brokers apply at once when they change in the metadata log (KIP-226 dynamic configs); other
     * broker keys are refused by IncrementalAlterConfigs on the brokers, since they are read only at startup.
     */
    public static final java.util.Set<String> DYNAMIC = java.util.Set.of(LEADER_THROTTLED_RATE,
            FOLLOWER_THROTTLED_RATE);

    /** Checked keys by name. */
    public static final Map<String, ConfigKey> CHECKED = List.of(
            ConfigKey.atLeast("log.retention.ms", LONG, -1),
            ConfigKey.atLeast("log.retention.bytes", LONG, Long.MIN_VALUE),
            ConfigKey.atLeast("log.segment.bytes", INT, 1024 * 1024),
            ConfigKey.atLeast("log.roll.ms", LONG, 1),
            ConfigKey.atLeast("log.flush.interval.messages", LONG, 1),
            ConfigKey.atLeast("log.flush.interval.ms", LONG, 0),
            ConfigKey.atLeast("message.max.bytes", INT, 0),
            ConfigKey.atLeast("min.insync.replicas", INT, 1),
            ConfigKey.atLeast("num.partitions", INT, 1),
            ConfigKey.atLeast("default.replication.factor", INT, 1),
            ConfigKey.atLeast("log.cleaner.threads", INT, 0),
            ConfigKey.bool("unclean.leader.election.enable"),
            ConfigKey.bool("auto.leader.rebalance.enable"),
            ConfigKey.atLeast(LEADER_THROTTLED_RATE, LONG, 0),
            ConfigKey.atLeast(FOLLOWER_THROTTLED_RATE, LONG, 0)
    ).stream().collect(Collectors.toUnmodifiableMap(ConfigKey::name, Function.identity()));

    private BrokerConfigs() {
    }

    /** NONE, or INVALID_CONFIG for an empty key or a checked key's invalid value. */
    public static ApiError validate(String key, String value) {
        if (key.isEmpty()) {
            return ApiError.of(ErrorCode.INVALID_CONFIG, "Config key is empty");
        }
        ConfigKey def = CHECKED.get(key);
        String reason = def == null ? (value == null ? "Invalid value null for configuration " + key : null)
                : def.invalidReason(value);
        return reason == null ? ApiError.NONE : ApiError.of(ErrorCode.INVALID_CONFIG, reason);
    }
}
