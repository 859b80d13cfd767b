package io.runnel.broker.metadata;

import io.runnel.broker.network.NetworkSettings;
import io.runnel.broker.testing.Images;
import io.runnel.broker.testing.TestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Metadata and DescribeCluster through kafka-clients' Admin and producer. */
class AdminMetadataTest {
    @TempDir
    Path dir;

    @Test
    void adminDescribesTheClusterAndTopicsFromTheImage() throws Exception {
        try (TestBroker broker = TestBroker.start(dir);
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
            UUID id = broker.createTopic("described", 3, Map.of());
            UUID elsewhere = UUID.randomUUID();
            broker.publish(List.of(Images.topic("orphan", elsewhere),
                    Images.partition(elsewhere, 0, List.of(9), 9, 2)));

            DescribeClusterResult cluster = admin.describeCluster();
            assertEquals(TestBroker.CLUSTER_ID, cluster.clusterId().get(10, TimeUnit.SECONDS));
            Node node = cluster.nodes().get(10, TimeUnit.SECONDS).iterator().next();
            assertEquals(TestBroker.BROKER_ID, node.id());
            assertEquals(broker.port(), node.port());
            assertEquals(TestBroker.BROKER_ID, cluster.controller().get(10, TimeUnit.SECONDS).id());

            assertEquals(Set.of("described", "orphan"), admin.listTopics().names().get(10, TimeUnit.SECONDS));
            TopicDescription d = admin.describeTopics(List.of("described")).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get("described");
            assertEquals(new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits()), d.topicId());
            assertEquals(3, d.partitions().size());
            for (TopicPartitionInfo p : d.partitions()) {
                assertEquals(TestBroker.BROKER_ID, p.leader().id());
                assertEquals(List.of(TestBroker.BROKER_ID), p.replicas().stream().map(Node::id).toList());
                assertEquals(List.of(TestBroker.BROKER_ID), p.isr().stream().map(Node::id).toList());
            }
            TopicPartitionInfo orphan = admin.describeTopics(List.of("orphan")).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get("orphan").partitions().get(0);
            assertTrue(orphan.leader() == null || orphan.leader().id() < 0, "no live leader: " + orphan);

            ExecutionException missing = assertThrows(ExecutionException.class,
                    () -> admin.describeTopics(List.of("missing")).allTopicNames().get(10, TimeUnit.SECONDS));
            assertInstanceOf(UnknownTopicOrPartitionException.class, missing.getCause());
        }
    }

    @Test
    void unknownTopicsGoToTheAutoCreationHookAndAreLeaderNotAvailableMeanwhile() throws Exception {
        LinkedBlockingQueue<String> requested = new LinkedBlockingQueue<>();
        TopicAutoCreator hook = topics -> {
            requested.addAll(topics);
            return CompletableFuture.completedFuture(Map.of());
        };
        try (TestBroker broker = TestBroker.start(dir, NetworkSettings.DEFAULT, hook)) {
            Properties pp = new Properties();
            pp.put("bootstrap.servers", broker.bootstrap());
            pp.put("max.block.ms", "30000");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp, new StringSerializer(),
                    new StringSerializer())) {
                CompletableFuture<RecordMetadata> sent = CompletableFuture.supplyAsync(() -> {
                    try {
                        return producer.send(new ProducerRecord<>("auto-created", "v")).get(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertEquals("auto-created", requested.poll(30, TimeUnit.SECONDS));
                // the controller's part, done here by hand: the topic appears in an image
                broker.createTopic("auto-created", 1, Map.of());
                assertEquals(0, sent.get(60, TimeUnit.SECONDS).offset());
            }
        }
    }
}
