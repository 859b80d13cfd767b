package io.runnel.broker.node;

import io.runnel.broker.config.Endpoint;
import io.runnel.broker.config.ServerConfig;
import io.runnel.broker.config.ServerConfigException;
import io.runnel.metadata.quorum.QuorumConfig;
import io.runnel.metadata.quorum.QuorumNode;
import io.runnel.metadata.quorum.QuorumVoter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One Runnel server process: the roles its {@code process.roles} names (KIP-500), started in dependency order and
 * stopped in reverse. A controller is a voter of the Ratis metadata quorum, listening on its entry of
 * {@code controller.quorum.voters}.
 *
 * <p>Thread-safe: {@link #close()} may be called from a shutdown hook while another thread waits in
 * {@link #awaitShutdown()}.
 */
public final class RunnelNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunnelNode.class);
    private final ServerConfig config;
    private final QuorumNode controller;
    private final List<String> boundListeners;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private RunnelNode(ServerConfig config, QuorumNode controller, List<String> boundListeners) {
        this.config = config;
        this.controller = controller;
        this.boundListeners = List.copyOf(boundListeners);
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
        if (config.isBroker()) {
            throw new ServerConfigException("process.roles=broker is not served by this build yet: the Kafka"
                    + " protocol server is being built (start a controller-only node with config/controller.properties)");
        }
        List<String> bound = new ArrayList<>();
        QuorumNode controller = null;
        if (config.isController()) {
            QuorumConfig quorum = QuorumConfig.from(config.originals());
            checkControllerListener(config, quorum);
            controller = QuorumNode.start(quorum);
            QuorumVoter self = quorum.self();
            bound.add("CONTROLLER://" + self.address() + " (metadata quorum voter " + quorum.nodeId() + ", cluster "
                    + controller.clusterId() + ")");
        }
        bound.forEach(b -> LOG.info("Listening on {}", b));
        return new RunnelNode(config, controller, bound);
    }

    /** The controller listener must be the address this node has in {@code controller.quorum.voters}. */
    private static void checkControllerListener(ServerConfig config, QuorumConfig quorum) {
        QuorumVoter self = quorum.self();
        if (self == null) {
            throw new ServerConfigException("node.id " + quorum.nodeId() + " has process.roles=controller but is not in"
                    + " controller.quorum.voters " + config.getList("controller.quorum.voters"));
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

    /** The metadata quorum voter of this node, or null without the controller role. */
    public QuorumNode controller() {
        return controller;
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
            if (controller != null) {
                controller.close();
            }
            LOG.info("Shut down node {}", config.nodeId());
        } finally {
            stopped.countDown();
        }
    }
}
