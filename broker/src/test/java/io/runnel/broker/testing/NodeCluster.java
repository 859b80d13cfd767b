package io.runnel.broker.testing;

import io.runnel.broker.config.ServerConfig;
import io.runnel.broker.node.RunnelNode;
import io.runnel.metadata.image.MetadataImage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.IntFunction;

/**
 * Combined nodes ({@code process.roles=broker,controller}) in this JVM, started with the real node wiring
 * ({@link RunnelNode}) from Kafka's keys on free loopback ports, as {@code config/cluster/} describes them. Nodes can
 * be stopped (cleanly, with controlled shutdown) and restarted on the same ports and directories.
 */
public final class NodeCluster implements AutoCloseable {
    private final Path dir;
    private final int size;
    private final List<Integer> brokerPorts;
    private final List<Integer> controllerPorts;
    private final Map<String, String> overrides;
    private final IntFunction<Map<String, String>> nodeOverrides;
    private final RunnelNode[] nodes;

    private NodeCluster(Path dir, int size, Map<String, String> overrides,
                        IntFunction<Map<String, String>> nodeOverrides) {
        this.dir = dir;
        this.size = size;
        List<Integer> ports = Ports.free(2 * size);
        this.brokerPorts = ports.subList(0, size);
        this.controllerPorts = ports.subList(size, 2 * size);
        this.overrides = Map.copyOf(overrides);
        this.nodeOverrides = nodeOverrides;
        this.nodes = new RunnelNode[size];
    }

    /**
     * Starts {@code size} nodes with ids 1..size under {@code dir/node-N}; {@code overrides} apply to every node
     * (e.g. {@code replica.lag.time.max.ms}). Returns once every node's broker is registered and unfenced.
     */
    public static NodeCluster start(Path dir, int size, Map<String, String> overrides) throws IOException {
        return start(dir, size, overrides, id -> Map.of());
    }

    /**
     * As {@link #start(Path, int, Map)}, with {@code nodeOverrides.apply(id)} applied to node {@code id} after the
     * common ones (e.g. a {@code broker.rack} per node).
     */
    public static NodeCluster start(Path dir, int size, Map<String, String> overrides,
                                    IntFunction<Map<String, String>> nodeOverrides) throws IOException {
        NodeCluster c = new NodeCluster(dir, size, overrides, nodeOverrides);
        try {
            for (int id = 1; id <= size; id++) {
                c.startNode(id);
            }
            for (int id = 1; id <= size; id++) {
                c.awaitUnfenced(id);
            }
            return c;
        } catch (IOException | RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    /** The configuration of node {@code id} (1-based). */
    public Map<String, String> config(int id) {
        StringJoiner voters = new StringJoiner(",");
        for (int i = 1; i <= size; i++) {
            voters.add(i + "@127.0.0.1:" + controllerPorts.get(i - 1));
        }
        Map<String, String> m = new HashMap<>();
        m.put("process.roles", "broker,controller");
        m.put("node.id", String.valueOf(id));
        m.put("controller.quorum.voters", voters.toString());
        m.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort(id) + ",CONTROLLER://127.0.0.1:"
                + controllerPorts.get(id - 1));
        m.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort(id));
        m.put("controller.listener.names", "CONTROLLER");
        m.put("inter.broker.listener.name", "PLAINTEXT");
        m.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        m.put("log.dirs", dir.resolve("node-" + id).toString());
        m.put("broker.heartbeat.interval.ms", "300");
        m.put("broker.session.timeout.ms", "3000");
        m.put("replica.fetch.backoff.ms", "200");
        m.put("num.io.threads", "4");
        m.put("num.network.threads", "2");
        m.putAll(overrides);
        m.putAll(nodeOverrides.apply(id));
        return m;
    }

    /** Starts node {@code id} (again) with its configuration. */
    public void startNode(int id) throws IOException {
        nodes[id - 1] = RunnelNode.start(ServerConfig.of(config(id)));
    }

    /** Stops node {@code id} cleanly (controlled shutdown, logs closed). */
    public void stopNode(int id) throws IOException {
        RunnelNode n = nodes[id - 1];
        nodes[id - 1] = null;
        if (n != null) {
            n.close();
        }
    }

    public RunnelNode node(int id) {
        return nodes[id - 1];
    }

    public int brokerPort(int id) {
        return brokerPorts.get(id - 1);
    }

    /** Every broker, as {@code bootstrap.servers}. */
    public String bootstrap() {
        StringJoiner j = new StringJoiner(",");
        for (int id = 1; id <= size; id++) {
            j.add("127.0.0.1:" + brokerPort(id));
        }
        return j.toString();
    }

    /** An Admin client on every broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    /** The metadata image node {@code id} serves from. */
    public MetadataImage image(int id) {
        return nodes[id - 1].metadata().image();
    }

    /**
     * Waits until broker {@code id} is registered and unfenced in its node's image and in the image the broker serves
     * from (a broker serves only once the controller has unfenced it).
     */
    public void awaitUnfenced(int id) {
        QuorumBroker.await("broker " + id + " unfenced", () -> {
            RunnelNode n = nodes[id - 1];
            if (n == null) {
                return false;
            }
            var b = image(id).brokers().get(id);
            var served = n.servedImage() == null ? null : n.servedImage().brokers().get(id);
            return b != null && !b.fenced() && served != null && !served.fenced();
        });
    }

    public int size() {
        return size;
    }

    /** Stops every running node, last first. */
    @Override
    public void close() throws IOException {
        List<IOException> failures = new ArrayList<>();
        for (int id = size; id >= 1; id--) {
            try {
                stopNode(id);
            } catch (IOException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
