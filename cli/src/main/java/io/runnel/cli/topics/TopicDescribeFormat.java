package io.runnel.cli.topics;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * The lines of {@code runnel topics --describe}, in the layout of Kafka 4.x's {@code kafka-topics.sh --describe}:
 * <pre>
 * Topic: T&lt;TAB&gt;TopicId: &lt;id&gt;&lt;TAB&gt;PartitionCount: 3&lt;TAB&gt;ReplicationFactor: 1&lt;TAB&gt;Configs: k=v,k2=v2
 * &lt;TAB&gt;Topic: T&lt;TAB&gt;Partition: 0&lt;TAB&gt;Leader: 1&lt;TAB&gt;Replicas: 1&lt;TAB&gt;Isr: 1&lt;TAB&gt;Elr: N/A&lt;TAB&gt;LastKnownElr: N/A
 * </pre>
 * {@code TopicId} is left out for the zero id; {@code Configs} lists only entries not at their default, in the
 * broker's order; {@code Leader: none} when the partition has no leader. {@code Elr}/{@code LastKnownElr} (KIP-966)
 * are always printed, {@code N/A} when the broker did not report them (a broker without DescribeTopicPartitions,
 * such as Runnel), exactly as Kafka 4.2's tool prints them.
 */
final class TopicDescribeFormat {

    private TopicDescribeFormat() {}

    /**
     * @param topic the topic name
     * @param topicId its id ({@link Uuid#ZERO_UUID} when unknown)
     * @param partitionCount the number of partitions
     * @param replicationFactor replicas per partition (taken from the first partition)
     * @param config the topic's configuration, defaults included
     * @return the topic line, without a line terminator
     */
    static String topicLine(String topic, Uuid topicId, int partitionCount, int replicationFactor, Config config) {
        StringBuilder line = new StringBuilder("Topic: ").append(topic);
        if (topicId != null && !Uuid.ZERO_UUID.equals(topicId)) {
            line.append("\tTopicId: ").append(topicId);
        }
        return line.append("\tPartitionCount: ").append(partitionCount)
                .append("\tReplicationFactor: ").append(replicationFactor)
                .append("\tConfigs: ").append(nonDefaultConfigs(config))
                .toString();
    }

    /**
     * @param topic the topic name
     * @param partition one partition's leader, replicas, ISR and ELR
     * @return the partition line, starting with a TAB, without a line terminator
     */
    static String partitionLine(String topic, TopicPartitionInfo partition) {
        return "\tTopic: " + topic
                + "\tPartition: " + partition.partition()
                + "\tLeader: " + (hasLeader(partition) ? Integer.toString(partition.leader().id()) : "none")
                + "\tReplicas: " + ids(partition.replicas())
                + "\tIsr: " + ids(partition.isr())
                + "\tElr: " + (partition.elr() == null ? "N/A" : ids(partition.elr()))
                + "\tLastKnownElr: " + (partition.lastKnownElr() == null ? "N/A" : ids(partition.lastKnownElr()));
    }

    /** Whether the partition reports a leader (kafka-clients uses null, or a node with id -1, for none). */
    static boolean hasLeader(TopicPartitionInfo partition) {
        return partition.leader() != null && partition.leader().id() >= 0;
    }

    /** {@code k=v,k2=v2} for the entries whose source is not the default, in the order given. */
    static String nonDefaultConfigs(Config config) {
        return config.entries().stream()
                .filter(e -> !e.isDefault())
                .map(e -> e.name() + "=" + e.value())
                .collect(Collectors.joining(","));
    }

    /** Whether any entry is set away from its default (what {@code --topics-with-overrides} selects). */
    static boolean hasOverrides(Config config) {
        return config.entries().stream().anyMatch(e -> !e.isDefault());
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(n -> Integer.toString(n.id())).collect(Collectors.joining(","));
    }

    /** The value of {@code name}, or null when the config does not carry it. */
    static String valueOf(Config config, String name) {
        ConfigEntry entry = config.get(name);
        return entry == null ? null : entry.value();
    }
}
