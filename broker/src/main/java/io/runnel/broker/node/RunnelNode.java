package io.runnel.broker.node;

import io.runnel.broker.config.Endpoint;
import io.runnel.broker.config.ServerConfig;
import io.runnel.broker.config.ServerConfigException;
import io.runnel.metadata.active.ControllerConfig;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.fetch.MetadataFollower;
import io.runnel.metadata.quorum.ClusterIds;
import io.runnel.metadata.quorum.MetaProperties;
import io.runnel.metadata.quorum.MetadataSource;
import io.runnel.metadata.quorum.QuorumConfig;
import io.runnel.metadata.quorum.QuorumNode;
import io.runnel.metadata.quorum.VoterDiscovery;
import io.runnel.metadata.quorum.QuorumVoter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One Runnel server process: the roles its {@code process.roles} names (KIP-500), started in dependency order and
 * stopped in reverse. A controller is a voter of the Ratis metadata quorum, listening on its entry of
 * {@code controller.quorum.voters} (or, joining a running quorum, on its controller listener after naming running
 * controllers in {@code controller.quorum.bootstrap.servers}, KIP-853); a combined node's broker serves the images of
 * that voter's state machine, and should the voter's quorum member be lost while the node runs, fetches the log from
 * the active controller instead ({@link CombinedMetadataSource}). A
 * broker-only node follows the metadata log by fetching it from the active controller ({@link MetadataFollower}), as
 * KRaft's brokers do; its {@code meta.properties} (first of {@code log.dirs}, or {@code metadata.log.dir}) records
 * the cluster and node ids at its first start. Either way the node's image is shown over JMX ({@link
 * MetadataImageMXBean}).
 *
 * <p>Thread-safe: {@link #close()} may be called from a shutdown hook while another thread waits in
 * {@link #awaitShutdown()}.
 */
public final class RunnelNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunnelNode.class);
    private final ServerConfig config;
    private final QuorumNode controller;
    private final MetadataFollower follower;
    private final CombinedMetadataSource combined;
    private final MetadataSource metadata;
    private final ControllerClient controllerClient;
    private final BrokerRole broker;
    private final MetadataImageJmx jmx;
    private final List<String> boundListeners;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private RunnelNode(ServerConfig config, QuorumNode controller, MetadataFollower follower,
                       CombinedMetadataSource combined, ControllerClient controllerClient, BrokerRole broker,
                       List<String> boundListeners) {
        this.config = config;
        this.controller = controller;
        this.follower = follower;
        this.combined = combined;
        this.metadata = combined != null ? combined : controller != null ? controller.stateMachine() : follower;
        this.controllerClient = controllerClient;
        this.broker = broker;
        this.boundListeners = List.copyOf(boundListeners);
        this.jmx = MetadataImageJmx.register(config.nodeId(), metadata, broker == null ? null : this::servedImage);
    }

    /**
     * Starts every role of {@code config}: the first start of a node formats its storage, later ones recover it.
     *
     * @throws ServerConfigException when the configuration cannot be served (e.g. the controller listener does not
     *                               match this node's voter entry)
     * @throws IOException           when storage is unusable (another cluster's, corrupt snapshot, unwritable)
     */
    public static RunnelNode start(ServerConfig config) throws IOException {
        config.warnings().forEach(w -> LOG.warn(w));
        QuorumConfig quorum = QuorumConfig.from(config.originals());
        if (!config.isController()) {
            return startBrokerOnly(config, quorum);
        }
        List<String> bound = new ArrayList<>();
        checkControllerListener(config, quorum);
        QuorumNode controller = QuorumNode.start(quorum, ControllerConfig.from(config.originals()));
        bound.add("CONTROLLER://" + quorum.self().address() + " (metadata quorum voter " + quorum.nodeId()
                + ", cluster " + controller.clusterId() + ")");
        ControllerClient client = null;
        CombinedMetadataSource combined = null;
        BrokerRole broker = null;
        try {
            if (config.isBroker()) {
                client = new ControllerClient(controller.group(),
                        Duration.ofMillis(config.getInt("request.timeout.ms")));
                combined = new CombinedMetadataSource(quorum.nodeId(), controller.clusterId(),
                        controller.stateMachine());
                broker = BrokerRole.start(config, controller.clusterId(), combined, client);
                bound.addAll(broker.boundListeners());
                CombinedMetadataSource source = combined;
                ControllerClient fetchClient = client;
                controller.memberLost().thenRun(() -> source.followControllers(fetchClient));
            }
        } catch (RuntimeException e) {
            if (combined != null) {
                combined.close();
            }
            if (client != null) {
                client.close();
            }
            controller.close();
            throw e;
        }
        bound.forEach(b -> LOG.info("Listening on {}", b));
        return new RunnelNode(config, controller, null, combined, client, broker, bound);
    }

    /** process.roles=broker: follow the metadata log by fetching it from the controllers, then serve it. */
    private static RunnelNode startBrokerOnly(ServerConfig config, QuorumConfig quorum) throws IOException {
        checkBrokerOnly(config, quorum);
        if (quorum.joining() && quorum.clusterId() == null && MetaProperties.read(quorum.metadataLogDir()) == null) {
            throw new ServerConfigException("A broker that finds the controllers through"
                    + " controller.quorum.bootstrap.servers needs cluster.id at its first start");
        }
        String clusterId = MetaProperties.claim(quorum.metadataLogDir(), quorum.clusterId(), quorum.nodeId(),
                quorum.joining() ? quorum.clusterId() : ClusterIds.derive(quorum.voters()));
        if (quorum.joining()) {
            quorum = quorum.withVoters(VoterDiscovery.discover(quorum.bootstrapServers(),
                    ClusterIds.groupId(clusterId), VoterDiscovery.DEFAULT_TIMEOUT_MS));
        }
        ControllerClient client = ControllerClient.create(clusterId, quorum.voters(),
                Duration.ofMillis(config.getInt("request.timeout.ms")));
        MetadataFollower follower = null;
        BrokerRole broker;
        try {
            follower = MetadataFollower.start(quorum.nodeId(), clusterId, client);
            broker = BrokerRole.start(config, clusterId, follower, client);
        } catch (RuntimeException e) {
            if (follower != null) {
                follower.close();
            }
            client.close();
            throw e;
        }
        List<String> bound = new ArrayList<>(broker.boundListeners());
        LOG.info("Broker {} of cluster {} follows the metadata log of controllers {}", quorum.nodeId(), clusterId,
                quorum.voters());
        bound.forEach(b -> LOG.info("Listening on {}", b));
        return new RunnelNode(config, null, follower, null, client, broker, bound);
    }

    /**
     * As Kafka checks a broker-only node: its id is not a voter's, and it binds none of the controller listeners.
     */
    private static void checkBrokerOnly(ServerConfig config, QuorumConfig quorum) {
        if (quorum.self() != null) {
            throw new ServerConfigException("node.id " + quorum.nodeId() + " has process.roles=broker but is in"
                    + " controller.quorum.voters " + config.getList("controller.quorum.voters") + ": a broker-only"
                    + " node needs an id of its own (or set process.roles=broker,controller)");
        }
        List<String> names = config.getList("controller.listener.names");
        for (Endpoint e : config.listeners()) {
            if (names.contains(e.listenerName())) {
                throw new ServerConfigException("listener " + e + " is a controller listener ("
                        + "controller.listener.names), but process.roles=broker: remove it from listeners");
            }
        }
    }

    /** The controller listener must be the address this node has in {@code controller.quorum.voters}. */
    private static void checkControllerListener(ServerConfig config, QuorumConfig quorum) {
        QuorumVoter self = quorum.self();
        if (self == null) {
            throw new ServerConfigException("node.id " + quorum.nodeId() + " has process.roles=controller but is not in"
                    + " controller.quorum.voters " + config.getList("controller.quorum.voters") + " (a controller that"
                    + " joins a running quorum sets controller.quorum.bootstrap.servers instead, KIP-853)");
        }
        List<String> names = config.getList("controller.listener.names");
        for (Endpoint e : config.listeners()) {
            if (names.contains(e.listenerName()) && e.port() != self.port()) {
                throw new ServerConfigException("listener " + e + " does not match this node's entry "
                        + quorum.nodeId() + "@" + self.address() + " in controller.quorum.voters: use the same port");
            }
        }
    }

    /** One line per listener bound, e.g. {@code CONTROLLER://localhost:9093 (...)}. */
    public List<String> boundListeners() {
        return boundListeners;
    }

    /** The configuration the node runs with. */
    public ServerConfig config() {
        return config;
    }

    /** The broker's bound port on {@code listenerName}, e.g. after binding port 0; -1 without the broker role. */
    public int brokerPort(String listenerName) {
        return broker == null ? -1 : broker.server().boundPort(listenerName);
    }

    /**
     * The image the broker serves clients from (tests): empty until the controller first unfenced the broker; null
     * without the broker role.
     */
    public io.runnel.metadata.image.MetadataImage servedImage() {
        return broker == null ? null : broker.server().metadataCache().current().image();
    }

    /** The broker's replica manager (tests, metrics); null without the broker role. */
    public io.runnel.broker.replica.ReplicaManager replicaManager() {
        return broker == null ? null : broker.server().replicaManager();
    }

    /** The metadata quorum voter of this node; null on a broker-only node. */
    public QuorumNode controller() {
        return controller;
    }

    /** Where this node's metadata images come from (the voter's state machine, or the fetching follower). */
    public MetadataSource metadata() {
        return metadata;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    /** Stops the roles in reverse order; idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (stopped.getCount() == 0) {
            return;
        }
        try {
            jmx.close();
            if (broker != null) {
                broker.close();
            }
            if (follower != null) {
                follower.close();
            }
            if (combined != null) {
                combined.close();
            }
            if (controllerClient != null) {
                controllerClient.close();
            }
            if (controller != null) {
                controller.close();
            }
            LOG.info("Shut down node {}", config.nodeId());
        } finally {
            stopped.countDown();
        }
    }
}
