package io.runnel.broker.replica;

import io.runnel.broker.record.TimestampRules;
import io.runnel.log.LogConfig;

/**
 * The effective settings of one partition: the broker defaults with the topic's dynamic overrides applied. Immutable.
 *
 * @param logConfig         the log's settings ({@code segment.bytes}, {@code max.message.bytes}, retention...)
 * @param timestamps        {@code message.timestamp.type} and its bounds
 * @param minInsyncReplicas {@code min.insync.replicas}: acks=-1 needs an ISR at least this large, else
 *                          NOT_ENOUGH_REPLICAS (19)
 */
public record PartitionSettings(LogConfig logConfig, TimestampRules timestamps, int minInsyncReplicas) {
    /** Topic config key of the timestamp type ({@code CreateTime} or {@code LogAppendTime}). */
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    /** Topic config key of the past bound for CreateTime timestamps (ms). */
    public static final String MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "message.timestamp.before.max.ms";
    /** Topic config key of the future bound for CreateTime timestamps (ms). */
    public static final String MESSAGE_TIMESTAMP_AFTER_MAX_MS = "message.timestamp.after.max.ms";
    /** Topic config key of the smallest ISR acks=-1 accepts. */
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

    /** Kafka's defaults. */
    public static final PartitionSettings DEFAULT = new PartitionSettings(LogConfig.DEFAULT, TimestampRules.DEFAULT, 1);

    public PartitionSettings {
        if (minInsyncReplicas < 1) {
            throw new IllegalArgumentException("min.insync.replicas must be at least 1");
        }
    }

    /**
     * These settings with a topic's overrides (Kafka topic-config keys) applied. Keys consumed elsewhere
     * ({@code unclean.leader.election.enable}: the controller) or not at all (values the controller refuses,
     * {@code UnsupportedTopicConfigs}) are skipped.
     *
     * @throws IllegalArgumentException naming the key of a malformed value
     */
    public PartitionSettings with(java.util.Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        LogConfig log = logConfig.with(retentionBytesAsLog(overrides));
        boolean logAppendTime = timestamps.logAppendTime();
        String type = overrides.get(MESSAGE_TIMESTAMP_TYPE);
        if (type != null) {
            logAppendTime = parseTimestampType(type);
        }
        long before = number(overrides, MESSAGE_TIMESTAMP_BEFORE_MAX_MS, timestamps.beforeMaxMs());
        long after = number(overrides, MESSAGE_TIMESTAMP_AFTER_MAX_MS, timestamps.afterMaxMs());
        long minIsr = number(overrides, MIN_INSYNC_REPLICAS, minInsyncReplicas);
        if (minIsr < 1 || minIsr > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("invalid value " + minIsr + " for " + MIN_INSYNC_REPLICAS);
        }
        return new PartitionSettings(log, new TimestampRules(logAppendTime, before, after), (int) minIsr);
    }

    /**
     * The overrides with a {@code retention.bytes} below -1 as -1: Kafka accepts any value and treats every
     * negative one as "no size limit", the log knows that as -1.
     */
    private static java.util.Map<String, String> retentionBytesAsLog(java.util.Map<String, String> overrides) {
        String raw = overrides.get(LogConfig.RETENTION_BYTES);
        try {
            if (raw == null || Long.parseLong(raw.trim()) >= -1) {
                return overrides;
            }
        } catch (NumberFormatException e) {
            return overrides; // the log names the malformed value
        }
        java.util.Map<String, String> m = new java.util.HashMap<>(overrides);
        m.put(LogConfig.RETENTION_BYTES, "-1");
        return m;
    }

    /**
     * Parses {@code CreateTime} / {@code LogAppendTime}.
     *
     * @return true for LogAppendTime
     * @throws IllegalArgumentException for anything else
     */
    public static boolean parseTimestampType(String value) {
        return switch (value.trim()) {
            case "CreateTime" -> false;
            case "LogAppendTime" -> true;
            default -> throw new IllegalArgumentException("invalid value '" + value + "' for "
                    + MESSAGE_TIMESTAMP_TYPE + ": CreateTime or LogAppendTime");
        };
    }

    private static long number(java.util.Map<String, String> m, String key, long fallback) {
        String raw = m.get(key);
        if (raw == null) {
            return fallback;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value '" + raw + "' for " + key + ": not a whole number");
        }
    }
}
