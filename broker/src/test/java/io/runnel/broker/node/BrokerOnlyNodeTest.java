package io.runnel.broker.node;

import io.runnel.broker.config.ServerConfig;
import io.runnel.broker.config.ServerConfigException;
import io.runnel.broker.testing.Ports;
import io.runnel.broker.testing.QuorumBroker;
import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.quorum.MetaProperties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Split roles in one JVM: a controller-only node and a broker-only node that follows the metadata log by fetching
 * it. Real kafka-clients against the broker-only node: Admin creates a topic (forwarded to the controller), a
 * producer writes, a consumer reads back; the broker's image equals the controller's by digest (also over JMX), and
 * DescribeQuorum lists the broker as an observer.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrokerOnlyNodeTest {
    @TempDir
    Path dir;
    private final List<RunnelNode> nodes = new ArrayList<>();
    private int controllerPort;

    @AfterEach
    void stop() throws Exception {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
    }

    private Map<String, String> controllerProps() {
        Map<String, String> p = new HashMap<>();
        p.put("process.roles", "controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("log.dirs", dir.resolve("controller-1").toString());
        return p;
    }

    private Map<String, String> brokerProps() {
        Map<String, String> p = new HashMap<>();
        p.put("process.roles", "broker");
        p.put("node.id", "2");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:0");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("log.dirs", dir.resolve("broker-2").toString());
        p.put("broker.heartbeat.interval.ms", "500");
        return p;
    }

    private RunnelNode start(Map<String, String> props) throws Exception {
        RunnelNode n = RunnelNode.start(ServerConfig.of(props));
        nodes.add(n);
        return n;
    }

    /** Until the controller's image and the image the broker serves from both show it unfenced. */
    private static void awaitUnfenced(RunnelNode controller, RunnelNode broker, int brokerId) {
        QuorumBroker.await("broker " + brokerId + " unfenced", () -> {
            BrokerRegistration b = controller.metadata().image().brokers().get(brokerId);
            BrokerRegistration served = broker.servedImage().brokers().get(brokerId);
            return b != null && !b.fenced() && served != null && !served.fenced();
        });
    }

    private static void awaitSameImage(RunnelNode controller, RunnelNode broker) {
        QuorumBroker.await("the broker's image to equal the controller's", () ->
                broker.metadata().appliedOffset() >= controller.metadata().appliedOffset()
                        && broker.metadata().image().digest().equals(controller.metadata().image().digest()));
    }

    @Test
    void aBrokerOnlyNodeServesRealClientsFromTheFetchedMetadataLog() throws Exception {
        controllerPort = Ports.free(1).get(0);
        RunnelNode controller = start(controllerProps());
        RunnelNode broker = start(brokerProps());
        assertEquals(null, broker.controller());
        awaitUnfenced(controller, broker, 2);
        String bootstrap = "127.0.0.1:" + broker.brokerPort("PLAINTEXT");

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "default.api.timeout.ms", "60000"))) {
            admin.createTopics(List.of(new NewTopic("split", 3, (short) 1))).all().get(60, TimeUnit.SECONDS);
            TopicDescription d = admin.describeTopics(List.of("split")).allTopicNames().get(60, TimeUnit.SECONDS)
                    .get("split");
            assertEquals(3, d.partitions().size());
            for (TopicPartitionInfo p : d.partitions()) {
                assertEquals(2, p.leader().id());
            }
            assertEquals(admin.describeCluster().clusterId().get(60, TimeUnit.SECONDS),
                    MetaProperties.read(dir.resolve("broker-2")).clusterId());

            produceAndConsume(bootstrap, "split", 300);

            awaitSameImage(controller, broker);
            Object jmxDigest = ManagementFactory.getPlatformMBeanServer().getAttribute(
                    MetadataImageJmx.objectName(2), "Digest");
            Object controllerDigest = ManagementFactory.getPlatformMBeanServer().getAttribute(
                    MetadataImageJmx.objectName(1), "Digest");
            assertEquals(controllerDigest, jmxDigest);
            assertEquals(-1L, ManagementFactory.getPlatformMBeanServer().getAttribute(
                    MetadataImageJmx.objectName(1), "ServedImageOffset"), "a controller-only node serves no image");
            QuorumBroker.await("broker 2 to serve the image it replayed", () -> {
                try {
                    return ManagementFactory.getPlatformMBeanServer().getAttribute(MetadataImageJmx.objectName(2),
                            "ServedImageOffset").equals(ManagementFactory.getPlatformMBeanServer().getAttribute(
                            MetadataImageJmx.objectName(2), "ImageOffset"));
                } catch (javax.management.JMException e) {
                    throw new IllegalStateException(e);
                }
            });

            QuorumBroker.await("DescribeQuorum to list broker 2 as an observer at lag 0", () -> {
                try {
                    QuorumInfo q = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS);
                    return q.leaderId() == 1 && q.voters().size() == 1 && q.observers().stream().anyMatch(o ->
                            o.replicaId() == 2 && o.logEndOffset() == q.voters().get(0).logEndOffset());
                } catch (Exception e) {
                    return false;
                }
            });
        }

        // a restart starts from a snapshot of the controller's image and is unfenced again; data and topic survive
        broker.close();
        nodes.remove(broker);
        RunnelNode again = start(brokerProps());
        awaitUnfenced(controller, again, 2);
        awaitSameImage(controller, again);
        String bootstrap2 = "127.0.0.1:" + again.brokerPort("PLAINTEXT");
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap2)) {
            TopicPartition tp = new TopicPartition("split", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            assertTrue(consumer.position(tp, Duration.ofSeconds(30)) >= 0);
            assertTrue(consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp) > 0,
                    "records written before the restart are still there");
        }
    }

    private static void produceAndConsume(String bootstrap, String topic, int count) throws Exception {
        Map<TopicPartition, List<String>> sent = new HashMap<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "acks", "all"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                RecordMetadata m = producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i))
                        .get(60, TimeUnit.SECONDS);
                sent.computeIfAbsent(new TopicPartition(topic, m.partition()), k -> new ArrayList<>()).add("v" + i);
            }
        }
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
            consumer.assign(new ArrayList<>(sent.keySet()));
            consumer.seekToBeginning(sent.keySet());
            Map<TopicPartition, List<String>> got = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int received = 0;
            while (received < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    got.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>())
                            .add(r.value());
                    received++;
                }
            }
            assertEquals(sent, got);
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", "false"),
                new StringDeserializer(), new StringDeserializer());
    }

    @Test
    void aBrokerOnlyNodeMustNotBeAVoterNorBindAControllerListener() {
        controllerPort = Ports.free(1).get(0);
        Map<String, String> voter = brokerProps();
        voter.put("node.id", "1");
        ServerConfigException e = assertThrows(ServerConfigException.class, () -> start(voter));
        assertTrue(e.getMessage().contains("node.id 1") && e.getMessage().contains("controller.quorum.voters"),
                e.getMessage());

        Map<String, String> listener = brokerProps();
        listener.put("listeners", "PLAINTEXT://127.0.0.1:0,CONTROLLER://127.0.0.1:" + controllerPort);
        ServerConfigException l = assertThrows(ServerConfigException.class, () -> start(listener));
        assertTrue(l.getMessage().contains("CONTROLLER") && l.getMessage().contains("process.roles=broker"),
                l.getMessage());
    }
}
