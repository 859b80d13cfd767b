package io.runnel.broker.testing;

import io.runnel.broker.metadata.TopicAutoCreator;
import io.runnel.broker.network.ListenerConfig;
import io.runnel.broker.network.NetworkSettings;
import io.runnel.broker.producer.TestingProducerIdSource;
import io.runnel.broker.replica.ReplicaSettings;
import io.runnel.broker.server.BrokerHooks;
import io.runnel.broker.server.BrokerServer;
import io.runnel.broker.server.BrokerSettings;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.record.MetadataRecord;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A broker started in this JVM on a free loopback port, registered (unfenced, PLAINTEXT endpoint on that port) in an
 * image it publishes to itself. Tests add topics with {@link #createTopic}. No metadata quorum runs: controller
 * requests (CreateTopics, ...) fail with REQUEST_TIMED_OUT after a short timeout; {@link QuorumBroker} has one.
 */
public final class TestBroker implements AutoCloseable {
    public static final int BROKER_ID = 1;
    public static final String CLUSTER_ID = "runnel-test-cluster";
    private final BrokerServer server;
    private MetadataImage image;

    private final ControllerClient controller;

    private TestBroker(BrokerServer server, MetadataImage image, ControllerClient controller) {
        this.server = server;
        this.image = image;
        this.controller = controller;
    }

    /** Starts a broker with logs under {@code logDir} and Kafka's default settings. */
    public static TestBroker start(Path logDir) {
        return start(logDir, NetworkSettings.DEFAULT);
    }

    /** Starts a broker with the given network settings. */
    public static TestBroker start(Path logDir, NetworkSettings network) {
        return start(logDir, network, null);
    }

    /** Starts a broker with the given network settings and auto-creation hook (null for none). */
    public static TestBroker start(Path logDir, NetworkSettings network, TopicAutoCreator autoCreator) {
        BrokerSettings settings = new BrokerSettings(CLUSTER_ID,
                List.of(ListenerConfig.plaintext("PLAINTEXT", "127.0.0.1", 0)), network,
                ReplicaSettings.defaults(BROKER_ID, List.of(logDir)), 4);
        ControllerClient detached = Controllers.detachedClient(CLUSTER_ID);
        BrokerServer server;
        try {
            server = BrokerServer.start(settings, new BrokerHooks(new TestingProducerIdSource(1000, 100),
                    autoCreator, detached, Map::of));
        } catch (RuntimeException e) {
            Controllers.closeQuietly(detached);
            throw e;
        }
        int port = server.boundPort("PLAINTEXT");
        MetadataImage image = Images.apply(MetadataImage.empty(CLUSTER_ID),
                List.of(Images.broker(BROKER_ID, "127.0.0.1", port)));
        server.publish(image);
        return new TestBroker(server, image, detached);
    }

    /** {@code 127.0.0.1:port}. */
    public String bootstrap() {
        return "127.0.0.1:" + port();
    }

    public int port() {
        return server.boundPort("PLAINTEXT");
    }

    public BrokerServer server() {
        return server;
    }

    public synchronized MetadataImage image() {
        return image;
    }

    /** Creates a topic led by this broker; returns its id. */
    public synchronized UUID createTopic(String name, int partitions, Map<String, String> configs) {
        UUID id = UUID.randomUUID();
        publish(Images.topicOnBroker(name, id, partitions, BROKER_ID, configs));
        return id;
    }

    /** Applies records to the current image and publishes the result. */
    public synchronized void publish(List<MetadataRecord> records) {
        image = Images.apply(image, records);
        server.publish(image);
    }

    @Override
    public void close() {
        server.close();
        Controllers.closeQuietly(controller);
    }
}
