package io.runnel.cli.topics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Chooses the lines {@code runnel topics --describe} prints, from described topics and their configs, following
 * Kafka's rules: without a report flag, each topic's line then all its partitions; with
 * {@code --under-replicated-partitions}, {@code --unavailable-partitions}, {@code --under-min-isr-partitions} or
 * {@code --at-min-isr-partitions}, only the partitions matching one of the given flags and no topic lines; with
 * {@code --topics-with-overrides}, only the topic lines of topics having a non-default config. Topics are printed in
 * name order, partitions in partition order.
 *
 * @param underReplicated select partitions whose ISR is smaller than their replica set
 * @param unavailable select partitions without a leader, or whose leader is not a live broker
 * @param underMinIsr select partitions without a leader or with fewer in-sync replicas than
 *     {@code min.insync.replicas}
 * @param atMinIsr select partitions whose ISR size equals {@code min.insync.replicas}
 * @param withOverrides print only the topic lines of topics with overridden configs
 */
record TopicDescriber(boolean underReplicated, boolean unavailable, boolean underMinIsr, boolean atMinIsr,
        boolean withOverrides) {

    /** {@code min.insync.replicas} when the broker does not report it (Kafka's default). */
    private static final int DEFAULT_MIN_ISR = 1;

    /** Whether a partition report flag was given (topic lines are then left out). */
    boolean reportsOnly() {
        return underReplicated || unavailable || underMinIsr || atMinIsr;
    }

    /**
     * @param topics the described topics, any order
     * @param configs each topic's config by name (a missing one counts as all defaults)
     * @param liveBrokers ids of live brokers (only used for {@code --unavailable-partitions})
     * @return the lines to print, without terminators
     */
    List<String> lines(List<TopicDescription> topics, Map<String, Config> configs, Set<Integer> liveBrokers) {
        List<String> lines = new ArrayList<>();
        List<TopicDescription> sorted = new ArrayList<>(topics);
        sorted.sort(Comparator.comparing(TopicDescription::name));
        for (TopicDescription topic : sorted) {
            Config config = configs.getOrDefault(topic.name(), new Config(List.of()));
            List<TopicPartitionInfo> partitions = new ArrayList<>(topic.partitions());
            partitions.sort(Comparator.comparingInt(TopicPartitionInfo::partition));
            if (!reportsOnly() && (!withOverrides || TopicDescribeFormat.hasOverrides(config))) {
                int replicationFactor = partitions.isEmpty() ? 0 : partitions.get(0).replicas().size();
                lines.add(TopicDescribeFormat.topicLine(topic.name(), topic.topicId(), partitions.size(),
                        replicationFactor, config));
            }
            if (withOverrides) {
                continue;
            }
            int minIsr = minIsr(config);
            for (TopicPartitionInfo partition : partitions) {
                if (!reportsOnly() || selected(partition, minIsr, liveBrokers)) {
                    lines.add(TopicDescribeFormat.partitionLine(topic.name(), partition));
                }
            }
        }
        return lines;
    }

    private boolean selected(TopicPartitionInfo p, int minIsr, Set<Integer> liveBrokers) {
        boolean hasLeader = TopicDescribeFormat.hasLeader(p);
        return (underReplicated && p.replicas().size() > p.isr().size())
                || (unavailable && (!hasLeader || !liveBrokers.contains(p.leader().id())))
                || (underMinIsr && (!hasLeader || p.isr().size() < minIsr))
                || (atMinIsr && p.isr().size() == minIsr);
    }

    private static int minIsr(Config config) {
        String value = TopicDescribeFormat.valueOf(config, "min.insync.replicas");
        try {
            return value == null ? DEFAULT_MIN_ISR : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return DEFAULT_MIN_ISR;
        }
    }
}
