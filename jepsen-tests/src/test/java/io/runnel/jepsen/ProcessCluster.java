package io.runnel.jepsen;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * N Runnel nodes as real processes on 127.0.0.1 with free ports and their own data directories under one work
 * directory, like {@code config/cluster/} but collision-free. Every node is a controller (a quorum voter); with
 * {@code brokers} they are combined broker+controller nodes. {@link #close()} kills every process by pid.
 */
public final class ProcessCluster implements AutoCloseable {
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final List<Integer> controllerPorts = new ArrayList<>();
    private final List<Integer> brokerPorts = new ArrayList<>();

    /**
     * Writes one properties file per node; starts nothing.
     *
     * @param extra more properties for every node (e.g. {@code broker.session.timeout.ms})
     */
    public ProcessCluster(Path workDir, int size, boolean brokers, Map<String, String> extra) throws IOException {
        for (int i = 0; i < size; i++) {
            controllerPorts.add(freePort());
            brokerPorts.add(brokers ? freePort() : -1);
        }
        StringJoiner voters = new StringJoiner(",");
        for (int i = 0; i < size; i++) {
            voters.add((i + 1) + "@127.0.0.1:" + controllerPorts.get(i));
        }
        for (int i = 0; i < size; i++) {
            int id = i + 1;
            StringBuilder props = new StringBuilder()
                    .append("process.roles=").append(brokers ? "broker,controller" : "controller").append('\n')
                    .append("node.id=").append(id).append('\n')
                    .append("controller.quorum.voters=").append(voters).append('\n')
                    .append("controller.listener.names=CONTROLLER\n")
                    .append("log.dirs=").append(workDir.resolve("data/node-" + id)).append('\n');
            String listeners = "CONTROLLER://127.0.0.1:" + controllerPorts.get(i);
            if (brokers) {
                listeners = "PLAINTEXT://127.0.0.1:" + brokerPorts.get(i) + "," + listeners;
            }
            props.append("listeners=").append(listeners).append('\n');
            extra.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
            Path file = workDir.resolve("node-" + id + ".properties");
            Files.writeString(file, props.toString());
            nodes.add(new NodeProcess(id, file, workDir, List.of()));
        }
    }

    /** A free TCP port on the loopback interface (bound and released at once). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Node {@code id}, 1-based as node ids are. */
    public NodeProcess node(int id) {
        return nodes.get(id - 1);
    }

    public List<NodeProcess> nodes() {
        return nodes;
    }

    /** {@code id@127.0.0.1:port,...} of every voter. */
    public List<Integer> controllerPorts() {
        return controllerPorts;
    }

    /** The PLAINTEXT port of node {@code id}, or -1 without the broker role. */
    public int brokerPort(int id) {
        return brokerPorts.get(id - 1);
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
