package io.runnel.metadata.active;

import io.runnel.metadata.controller.OffsetCommits;
import io.runnel.metadata.quorum.ConfigException;
import java.util.Map;
import java.util.Properties;

/**
 * The active controller's settings, under Kafka's keys and defaults:
 * <ul>
 *   <li>{@code broker.session.timeout.ms} (9000): a broker without a heartbeat for this long is fenced;</li>
 *   <li>{@code broker.heartbeat.interval.ms} (2000): how often brokers are expected to heartbeat;</li>
 *   <li>{@code num.partitions} (1), {@code default.replication.factor} (1): CreateTopics defaults (KIP-464);</li>
 *   <li>{@code unclean.leader.election.enable} (false): cluster default, overridable per topic;</li>
 *   <li>{@code auto.leader.rebalance.enable} (true) with {@code leader.imbalance.check.interval.seconds} (300):
 *       periodic preferred-leader election;</li>
 *   <li>{@code delete.topic.enable} (true); {@code offset.metadata.max.bytes} (4096);</li>
 *   <li>{@code request.timeout.ms} (30000): how long the controller waits for one metadata write to commit.</li>
 * </ul>
 * Malformed values raise {@link ConfigException} naming the key.
 */
public record ControllerConfig(long sessionTimeoutMs, long heartbeatIntervalMs, int defaultPartitions,
                               short defaultReplicationFactor, boolean uncleanLeaderElection,
                               boolean autoLeaderRebalance, long leaderImbalanceCheckIntervalMs,
                               boolean deleteTopicEnable, int offsetMetadataMaxBytes, long writeTimeoutMs) {
    /** Kafka's defaults. */
    public static final ControllerConfig DEFAULTS = from(Map.of());

    public static ControllerConfig from(Properties props) {
        Map<String, String> m = new java.util.HashMap<>();
        props.stringPropertyNames().forEach(k -> m.put(k, props.getProperty(k)));
        return from(m);
    }

    public static ControllerConfig from(Map<String, String> p) {
        return new ControllerConfig(
                positive(p, "broker.session.timeout.ms", 9000),
                positive(p, "broker.heartbeat.interval.ms", 2000),
                (int) positive(p, "num.partitions", 1),
                (short) positive(p, "default.replication.factor", 1),
                bool(p, "unclean.leader.election.enable", false),
                bool(p, "auto.leader.rebalance.enable", true),
                positive(p, "leader.imbalance.check.interval.seconds", 300) * 1000,
                bool(p, "delete.topic.enable", true),
                (int) positive(p, "offset.metadata.max.bytes", OffsetCommits.DEFAULT_MAX_METADATA_BYTES),
                positive(p, "request.timeout.ms", 30000));
    }

    private static long positive(Map<String, String> p, String key, long dflt) {
        String v = p.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n > 0 && n <= Integer.MAX_VALUE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("Invalid value '" + v + "' for " + key + ": expected an integer in 1.."
                + Integer.MAX_VALUE);
    }

    private static boolean bool(Map<String, String> p, String key, boolean dflt) {
        String v = p.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        String t = v.trim();
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(t);
        }
        throw new ConfigException("Invalid value '" + v + "' for " + key + ": expected true or false");
    }
}
