package io.runnel.jepsen;

import io.runnel.metadata.testing.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * N Runnel nodes as real processes on 127.0.0.1 with free ports and their own data directories under one work
 * directory, like {@code config/cluster/} but collision-free. Either every node is a controller (a quorum voter),
 * with {@code brokers} a combined broker+controller node, or ({@link #split}) controller-only voters plus broker-only
 * nodes that fetch the metadata log. {@link #close()} kills every process by pid.
 */
public final class ProcessCluster implements AutoCloseable {
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final List<Integer> controllerPorts = new ArrayList<>();
    private final List<Integer> brokerPorts = new ArrayList<>();
    private final String voters;

    /**
     * Writes one properties file per node, every node a voter; starts nothing.
     *
     * @param extra more properties for every node (e.g. {@code broker.session.timeout.ms})
     */
    public ProcessCluster(Path workDir, int size, boolean brokers, Map<String, String> extra) throws IOException {
        this(workDir, size, brokers, 0, extra);
    }

    /**
     * Nodes 1..{@code controllers} are controller-only voters, nodes {@code controllers + 1}.. are broker-only
     * ({@code process.roles=broker}); starts nothing.
     */
    public static ProcessCluster split(Path workDir, int controllers, int brokers, Map<String, String> extra)
            throws IOException {
        return new ProcessCluster(workDir, controllers, false, brokers, extra);
    }

    /**
     * Nodes 1..{@code voters} are combined broker+controller voters, nodes {@code voters + 1}.. broker-only (e.g. a
     * broker to add to a running cluster); starts nothing.
     */
    public static ProcessCluster withExtraBrokers(Path workDir, int voters, int brokers, Map<String, String> extra)
            throws IOException {
        return new ProcessCluster(workDir, voters, true, brokers, extra);
    }

    private ProcessCluster(Path workDir, int size, boolean brokers, int brokerOnly, Map<String, String> extra)
            throws IOException {
        for (int i = 0; i < size + brokerOnly; i++) {
            controllerPorts.add(i < size ? freePort() : -1);
            brokerPorts.add(brokers || i >= size ? freePort() : -1);
        }
        StringJoiner voters = new StringJoiner(",");
        for (int i = 0; i < size; i++) {
            voters.add((i + 1) + "@127.0.0.1:" + controllerPorts.get(i));
        }
        this.voters = voters.toString();
        for (int i = 0; i < size + brokerOnly; i++) {
            int id = i + 1;
            boolean voter = i < size;
            String roles = !voter ? "broker" : brokers ? "broker,controller" : "controller";
            StringBuilder props = new StringBuilder()
                    .append("process.roles=").append(roles).append('\n')
                    .append("node.id=").append(id).append('\n')
                    .append("controller.quorum.voters=").append(voters).append('\n')
                    .append("controller.listener.names=CONTROLLER\n")
                    .append("log.dirs=").append(workDir.resolve("data/node-" + id)).append('\n');
            List<String> listeners = new ArrayList<>();
            if (brokerPorts.get(i) > 0) {
                listeners.add("PLAINTEXT://127.0.0.1:" + brokerPorts.get(i));
            }
            if (voter) {
                listeners.add("CONTROLLER://127.0.0.1:" + controllerPorts.get(i));
            }
            props.append("listeners=").append(String.join(",", listeners)).append('\n');
            extra.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
            Path file = workDir.resolve("node-" + id + ".properties");
            Files.writeString(file, props.toString());
            nodes.add(new NodeProcess(id, file, workDir, List.of()));
        }
    }

    /** A free TCP port on 127.0.0.1 below the ephemeral range ({@link LoopbackPorts}). */
    public static int freePort() throws IOException {
        return LoopbackPorts.free();
    }

    /** Node {@code id}, 1-based as node ids are. */
    public NodeProcess node(int id) {
        return nodes.get(id - 1);
    }

    public List<NodeProcess> nodes() {
        return nodes;
    }

    /** The CONTROLLER port of each node by index (node id - 1), -1 for broker-only nodes. */
    public List<Integer> controllerPorts() {
        return controllerPorts;
    }

    /** {@code controller.quorum.voters}: {@code id@127.0.0.1:port,...} of every voter. */
    public String voters() {
        return voters;
    }

    /** The PLAINTEXT port of node {@code id}, or -1 without the broker role. */
    public int brokerPort(int id) {
        return brokerPorts.get(id - 1);
    }

    /** {@code 127.0.0.1:port} of the broker of each node in {@code ids}, comma-separated. */
    public String bootstrap(int... ids) {
        StringJoiner j = new StringJoiner(",");
        for (int id : ids) {
            j.add("127.0.0.1:" + brokerPort(id));
        }
        return j.toString();
    }

    /** Starts every node (without waiting). */
    public void startAll() throws IOException {
        for (NodeProcess n : nodes) {
            n.start();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (NodeProcess n : nodes) {
            n.destroy();
        }
    }
}
