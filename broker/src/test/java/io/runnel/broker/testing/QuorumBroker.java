package io.runnel.broker.testing;

import io.runnel.broker.network.ListenerConfig;
import io.runnel.broker.network.NetworkSettings;
import io.runnel.broker.producer.TestingProducerIdSource;
import io.runnel.broker.replica.ReplicaSettings;
import io.runnel.broker.server.BrokerConfigSource;
import io.runnel.broker.server.BrokerHooks;
import io.runnel.broker.server.BrokerServer;
import io.runnel.broker.server.BrokerSettings;
import io.runnel.broker.server.ControllerEndpoints;
import io.runnel.metadata.active.ControllerConfig;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.quorum.QuorumConfig;
import io.runnel.metadata.quorum.QuorumNode;
import io.runnel.metadata.quorum.QuorumVoter;
import io.runnel.metadata.record.BrokerEndpoint;
import io.runnel.metadata.rpc.BrokerHeartbeatRequest;
import io.runnel.metadata.rpc.RegisterBrokerRequest;
import io.runnel.metadata.rpc.RegisterBrokerResponse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A broker backed by a real one-voter metadata quorum in this JVM, both on free loopback ports: the broker publishes
 * every image the voter's state machine applies, registers with the active controller and heartbeats every 300 ms,
 * so it is unfenced and can host replicas. Admin requests go through a real {@link ControllerClient}.
 */
public final class QuorumBroker implements AutoCloseable {
    public static final int NODE_ID = 1;
    public static final Duration WAIT = Duration.ofSeconds(30);
    private final QuorumNode node;
    private final ControllerClient client;
    private final BrokerServer server;
    private final ExecutorService publisher;
    private final ScheduledExecutorService heartbeats;
    private final List<QuorumVoter> voters;

    private QuorumBroker(QuorumNode node, ControllerClient client, BrokerServer server, ExecutorService publisher,
                         ScheduledExecutorService heartbeats, List<QuorumVoter> voters) {
        this.node = node;
        this.client = client;
        this.server = server;
        this.publisher = publisher;
        this.heartbeats = heartbeats;
        this.voters = voters;
    }

    /**
     * Starts the voter (metadata under {@code dir/meta}), waits for it to lead, starts the broker (logs under
     * {@code dir/logs}) and waits until it is registered and unfenced.
     *
     * @param controllerProps controller settings with Kafka's keys (e.g. {@code num.partitions})
     * @param brokerConfigs   what DescribeConfigs reports as this broker's configuration
     */
    public static QuorumBroker start(Path dir, Map<String, String> controllerProps, BrokerConfigSource brokerConfigs)
            throws Exception {
        int quorumPort = Ports.free(1).get(0);
        List<QuorumVoter> voters = List.of(new QuorumVoter(NODE_ID, "127.0.0.1", quorumPort));
        QuorumConfig qc = QuorumConfig.from(Map.of("node.id", String.valueOf(NODE_ID),
                "controller.quorum.voters", NODE_ID + "@127.0.0.1:" + quorumPort,
                "metadata.log.dir", dir.resolve("meta").toString()));
        QuorumNode node = QuorumNode.start(qc, ControllerConfig.from(controllerProps));
        ControllerClient client = null;
        BrokerServer server = null;
        ExecutorService publisher = Executors.newSingleThreadExecutor(daemon("image-publisher"));
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("heartbeats"));
        try {
            await("an active controller", node::isActiveController);
            client = ControllerClient.create(node.clusterId(), voters, Duration.ofSeconds(10));
            BrokerSettings settings = new BrokerSettings(node.clusterId(),
                    List.of(ListenerConfig.plaintext("PLAINTEXT", "127.0.0.1", 0)), NetworkSettings.DEFAULT,
                    ReplicaSettings.defaults(NODE_ID, List.of(dir.resolve("logs"))), 4,
                    new ControllerEndpoints("CONTROLLER", voters));
            server = BrokerServer.start(settings, new BrokerHooks(new TestingProducerIdSource(1000, 100), null,
                    client, brokerConfigs));
            BrokerServer s = server;
            node.stateMachine().addListener((previous, next) -> publisher.execute(() -> s.publish(next)));
            publisher.execute(() -> s.publish(node.stateMachine().image()));
            QuorumBroker broker = new QuorumBroker(node, client, server, publisher, heartbeats, voters);
            broker.registerAndHeartbeat();
            return broker;
        } catch (Exception | Error e) {
            heartbeats.shutdownNow();
            publisher.shutdownNow();
            if (server != null) {
                server.close();
            }
            if (client != null) {
                client.close();
            }
            node.close();
            throw e;
        }
    }

    private void registerAndHeartbeat() throws Exception {
        RegisterBrokerResponse r = client.registerBroker(RegisterBrokerRequest.newBuilder().setBrokerId(NODE_ID)
                .setIncarnationId(Uuids.toProto(UUID.randomUUID())).setClusterId(node.clusterId())
                .addEndpoints(BrokerEndpoint.newBuilder().setListenerName("PLAINTEXT").setHost("127.0.0.1")
                        .setPort(port()).setSecurityProtocol("PLAINTEXT")).build()).get(30, TimeUnit.SECONDS);
        if (r.getErrorCode() != 0) {
            throw new AssertionError("registration failed: " + r);
        }
        long epoch = r.getBrokerEpoch();
        heartbeats.scheduleWithFixedDelay(() -> {
            try {
                client.heartbeat(BrokerHeartbeatRequest.newBuilder().setBrokerId(NODE_ID).setBrokerEpoch(epoch)
                        .setCurrentMetadataOffset(node.stateMachine().image().provenance().index()).build(),
                        Duration.ofSeconds(3)).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the next heartbeat tries again
            }
        }, 0, 300, TimeUnit.MILLISECONDS);
        await("broker " + NODE_ID + " unfenced in the broker's image", () -> {
            BrokerRegistration b = server.metadataCache().current().image().brokers().get(NODE_ID);
            return b != null && !b.fenced();
        });
    }

    /** Polls {@code condition} every 20 ms until it holds; fails after {@link #WAIT} naming {@code what}. */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + WAIT + " waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public String bootstrap() {
        return "127.0.0.1:" + port();
    }

    public int port() {
        return server.boundPort("PLAINTEXT");
    }

    public BrokerServer server() {
        return server;
    }

    public QuorumNode node() {
        return node;
    }

    public ControllerClient controller() {
        return client;
    }

    public List<QuorumVoter> voters() {
        return voters;
    }

    /** The image the broker answers from. */
    public MetadataImage brokerImage() {
        return server.metadataCache().current().image();
    }

    @Override
    public void close() throws java.io.IOException {
        heartbeats.shutdownNow();
        publisher.shutdownNow();
        try {
            publisher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        client.close();
        node.close();
    }
}
