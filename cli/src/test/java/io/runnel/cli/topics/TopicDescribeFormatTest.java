package io.runnel.cli.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/**
 * The describe lines from fixed inputs. The expected strings were checked byte for byte against Apache Kafka 4.2's
 * {@code kafka-topics.sh --describe} output on the same topics.
 */
class TopicDescribeFormatTest {

    private static final Node N1 = new Node(1, "a", 9092);
    private static final Node N2 = new Node(2, "b", 9092);
    private static final Node N3 = new Node(3, "c", 9092);

    private static ConfigEntry entry(String name, String value, ConfigEntry.ConfigSource source) {
        return new ConfigEntry(name, value, source, false, false, List.of(), ConfigEntry.ConfigType.STRING, null);
    }

    @Test
    void topicLineListsOnlyNonDefaultConfigsInBrokerOrder() {
        Config config = new Config(List.of(
                entry("min.insync.replicas", "1", ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG),
                entry("cleanup.policy", "compact", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG),
                entry("flush.ms", "9223372036854775807", ConfigEntry.ConfigSource.DEFAULT_CONFIG),
                entry("retention.ms", "1000", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)));
        Uuid id = Uuid.fromString("GyAInIXtRJOvDnXqQ52tmA");

        String line = TopicDescribeFormat.topicLine("runnel-t", id, 2, 1, config);
        String prefix = "Topic: runnel-t\tTopicId: GyAInIXtRJOvDnXqQ52tmA\tPartitionCount: 2\tReplicationFactor: 1\t"
                + "Configs: ";
        assertTrue(line.startsWith(prefix), line);
        // Config keeps its entries in a hash map: Kafka's tool prints them in that same order, so only the set is fixed.
        assertEquals(Set.of("min.insync.replicas=1", "cleanup.policy=compact", "retention.ms=1000"),
                Set.of(line.substring(prefix.length()).split(",")));
    }

    @Test
    void topicLineLeavesOutTheZeroIdAndKeepsAnEmptyConfigsField() {
        assertEquals("Topic: t\tPartitionCount: 1\tReplicationFactor: 3\tConfigs: ",
                TopicDescribeFormat.topicLine("t", Uuid.ZERO_UUID, 1, 3, new Config(List.of())));
    }

    @Test
    void partitionLineWithoutElrFromTheBrokerSaysNotAvailable() {
        TopicPartitionInfo p = new TopicPartitionInfo(2, N2, List.of(N2, N3, N1), List.of(N2, N1));
        assertEquals("\tTopic: t\tPartition: 2\tLeader: 2\tReplicas: 2,3,1\tIsr: 2,1\tElr: N/A\tLastKnownElr: N/A",
                TopicDescribeFormat.partitionLine("t", p));
    }

    @Test
    void partitionLineWithElrListsThem() {
        TopicPartitionInfo p = new TopicPartitionInfo(0, N1, List.of(N1, N2, N3), List.of(N1), List.of(N2),
                List.of());
        assertEquals("\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1\tElr: 2\tLastKnownElr: ",
                TopicDescribeFormat.partitionLine("t", p));
    }

    @Test
    void partitionWithoutLeaderSaysNone() {
        for (Node leader : new Node[] {null, Node.noNode()}) {
            TopicPartitionInfo p = new TopicPartitionInfo(0, leader, List.of(N1), List.of());
            assertEquals("\tTopic: t\tPartition: 0\tLeader: none\tReplicas: 1\tIsr: \tElr: N/A\tLastKnownElr: N/A",
                    TopicDescribeFormat.partitionLine("t", p));
        }
    }
}
