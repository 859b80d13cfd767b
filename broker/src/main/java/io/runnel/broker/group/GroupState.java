package io.runnel.broker.group;

import java.util.Locale;

/**
 * The states of a classic consumer group, as Kafka's brokers run them, with the names Kafka reports in
 * DescribeGroups and ListGroups ({@code Empty}, {@code PreparingRebalance}, ...):
 * <ul>
 *   <li>{@link #EMPTY}: no members; committed offsets may remain;</li>
 *   <li>{@link #PREPARING_REBALANCE}: waiting for every member to (re)join, at most the rebalance timeout;</li>
 *   <li>{@link #COMPLETING_REBALANCE}: a new generation exists; waiting for the leader's assignment (SyncGroup);</li>
 *   <li>{@link #STABLE}: the assignment is known; members heartbeat;</li>
 *   <li>{@link #DEAD}: the group was deleted or this broker stopped coordinating it.</li>
 * </ul>
 */
public enum GroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String kafkaName;

    GroupState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** Kafka's name of the state, e.g. {@code PreparingRebalance}. */
    public String kafkaName() {
        return kafkaName;
    }

    /** True when {@code name} is this state's Kafka name, ignoring case (ListGroups v4 states filter). */
    public boolean matches(String name) {
        return kafkaName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return kafkaName;
    }
}
