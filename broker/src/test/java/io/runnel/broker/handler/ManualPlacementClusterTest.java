package io.runnel.broker.handler;

import io.runnel.broker.testing.NodeCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Manual placement and racks through a real kafka-clients Admin against three in-JVM combined nodes on loopback,
 * nodes 1 and 3 with {@code broker.rack=rack-a}, node 2 with {@code rack-b}: CreateTopics with replica assignments,
 * CreatePartitions with assignments, Kafka's error classes for bad assignments (nothing created), the racks in
 * DescribeCluster and Metadata, and rack-aware automatic placement (every RF-2 partition has a replica on rack-b).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ManualPlacementClusterTest {
    @TempDir
    static Path dir;
    static NodeCluster cluster;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = NodeCluster.start(dir, 3, Map.of(), id -> Map.of("broker.rack", id == 2 ? "rack-b" : "rack-a"));
        admin = cluster.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static <T> T get(KafkaFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    static Throwable failure(KafkaFuture<?> f) {
        return assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS)).getCause();
    }

    private static TopicDescription describe(String topic) throws Exception {
        return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    @Test
    void createTopicAndPartitionsOnTheListedBrokers() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("placed", Map.of(0, List.of(3, 1), 1, List.of(2, 3),
                2, List.of(1, 2))))).all());
        TopicDescription d = describe("placed");
        assertEquals(List.of(List.of(3, 1), List.of(2, 3), List.of(1, 2)),
                d.partitions().stream().map(p -> ids(p.replicas())).toList());
        assertEquals(List.of(3, 2, 1), d.partitions().stream().map(p -> p.leader().id()).toList());

        get(admin.createPartitions(Map.of("placed", NewPartitions.increaseTo(5, List.of(List.of(2, 1),
                List.of(1, 3))))).all());
        d = describe("placed");
        assertEquals(5, d.partitions().size());
        assertEquals(List.of(2, 1), ids(d.partitions().get(3).replicas()));
        assertEquals(List.of(1, 3), ids(d.partitions().get(4).replicas()));
        assertEquals(1, d.partitions().get(4).leader().id());

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000"), new StringSerializer(), new StringSerializer())) {
            for (int p = 0; p < 5; p++) {
                assertEquals(0, producer.send(new ProducerRecord<>("placed", p, "k", "v")).get(60, TimeUnit.SECONDS)
                        .offset(), "partition " + p);
            }
        }
    }

    @Test
    void badAssignmentsGetKafkasErrorsAndCreateNothing() throws Exception {
        var r = admin.createTopics(List.of(
                new NewTopic("unknown-broker", Map.of(0, List.of(1, 9))),
                new NewTopic("repeated-broker", Map.of(0, List.of(2, 2))),
                new NewTopic("uneven", Map.of(0, List.of(1, 2), 1, List.of(3))),
                new NewTopic("gap", Map.of(0, List.of(1), 2, List.of(2)))));
        for (String topic : List.of("unknown-broker", "repeated-broker", "uneven", "gap")) {
            Throwable t = failure(r.values().get(topic));
            assertInstanceOf(InvalidReplicaAssignmentException.class, t, topic);
            assertFalse(get(admin.listTopics().names()).contains(topic), topic);
        }
        assertTrue(failure(r.values().get("unknown-broker")).getMessage().contains("broker 9"));

        get(admin.createTopics(List.of(new NewTopic("grown", Map.of(0, List.of(1, 2))))).all());
        Throwable count = failure(admin.createPartitions(Map.of("grown", NewPartitions.increaseTo(3,
                List.of(List.of(2, 3))))).all());
        assertInstanceOf(InvalidReplicaAssignmentException.class, count);
        Throwable factor = failure(admin.createPartitions(Map.of("grown", NewPartitions.increaseTo(2,
                List.of(List.of(3))))).all());
        assertInstanceOf(InvalidReplicaAssignmentException.class, factor);
        assertEquals(1, describe("grown").partitions().size());
    }

    @Test
    void racksReachClientsAndSpreadAutomaticPlacement() throws Exception {
        Map<Integer, String> racks = new TreeMap<>();
        for (Node n : get(admin.describeCluster().nodes())) {
            racks.put(n.id(), n.rack());
        }
        assertEquals(Map.of(1, "rack-a", 2, "rack-b", 3, "rack-a"), racks, "DescribeCluster");

        get(admin.createTopics(List.of(new NewTopic("spread", Optional.of(6), Optional.of((short) 2)))).all());
        for (TopicPartitionInfo p : describe("spread").partitions()) {
            Set<String> seen = new HashSet<>();
            p.replicas().forEach(n -> seen.add(n.rack()));
            assertEquals(Set.of("rack-a", "rack-b"), seen, "Metadata racks of partition " + p.partition());
        }
    }
}
