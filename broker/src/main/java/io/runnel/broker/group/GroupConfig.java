package io.runnel.broker.group;

/**
 * The group coordinator's settings, with Kafka's broker keys and defaults.
 *
 * @param initialRebalanceDelayMs   {@code group.initial.rebalance.delay.ms} (3000): how long the first rebalance of an
 *                                  empty group waits for more members, extended by the same delay while new members
 *                                  keep arriving, at most up to the rebalance timeout (KIP-134)
 * @param minSessionTimeoutMs       {@code group.min.session.timeout.ms} (6000): smallest {@code session.timeout.ms}
 *                                  a member may ask for; below it JoinGroup gets INVALID_SESSION_TIMEOUT (26)
 * @param maxSessionTimeoutMs       {@code group.max.session.timeout.ms} (1800000): largest one, likewise
 * @param maxGroupSize              {@code group.max.size} (2147483647): members beyond it get GROUP_MAX_SIZE_REACHED
 *                                  (81, KIP-389)
 * @param offsetsRetentionMs        {@code offsets.retention.minutes} (10080, 7 days) in milliseconds: committed
 *                                  offsets of a group without members expire this long after both their commit and
 *                                  the moment the group became empty (KIP-211)
 * @param retentionCheckIntervalMs  {@code offsets.retention.check.interval.ms} (600000): how often the coordinator
 *                                  looks for expired offsets
 * @param newMemberJoinTimeoutMs    how long a brand-new member may wait in a rebalance before it is dropped (Kafka's
 *                                  fixed 300000, KIP-394)
 */
public record GroupConfig(int initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                          int maxGroupSize, long offsetsRetentionMs, long retentionCheckIntervalMs,
                          int newMemberJoinTimeoutMs) {
    /** Kafka's defaults. */
    public static final GroupConfig DEFAULT = new GroupConfig(3000, 6000, 1_800_000, Integer.MAX_VALUE,
            10_080L * 60_000L, 600_000L, 300_000);

    public GroupConfig {
        if (initialRebalanceDelayMs < 0 || minSessionTimeoutMs < 0 || maxSessionTimeoutMs < minSessionTimeoutMs
                || maxGroupSize < 1 || offsetsRetentionMs < 1 || retentionCheckIntervalMs < 1
                || newMemberJoinTimeoutMs < 1) {
            throw new IllegalArgumentException("invalid group coordinator settings: " + this);
        }
    }

    /** The same settings with another {@code group.initial.rebalance.delay.ms} (tests use 0). */
    public GroupConfig withInitialRebalanceDelayMs(int delayMs) {
        return new GroupConfig(delayMs, minSessionTimeoutMs, maxSessionTimeoutMs, maxGroupSize, offsetsRetentionMs,
                retentionCheckIntervalMs, newMemberJoinTimeoutMs);
    }
}
