package io.runnel.compat;

import io.runnel.metadata.testing.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Three (or more) combined broker+controller {@link RunnelNode} processes forming one cluster: every node is a quorum
 * voter, each has free loopback ports and a work directory {@code workDir/node-<id>} of its own. {@link #close()}
 * stops every node by its pid.
 */
public final class RunnelCluster implements AutoCloseable {

    private final List<RunnelNode> nodes = new ArrayList<>();

    private RunnelCluster() {
    }

    /**
     * Starts {@code size} nodes (ids 1..size) together, since the quorum needs a majority, and waits until each
     * broker is unfenced.
     *
     * @param overrides {@code key=value} overrides of {@code config/server.properties} for every node
     * @throws AssertionError when a node does not come up in time (every node is stopped then)
     */
    public static RunnelCluster start(Path workDir, int size, String... overrides) throws IOException {
        List<Integer> ports = LoopbackPorts.free(2 * size);
        StringJoiner voters = new StringJoiner(",");
        for (int i = 0; i < size; i++) {
            voters.add((i + 1) + "@127.0.0.1:" + ports.get(2 * i + 1));
        }
        RunnelCluster cluster = new RunnelCluster();
        try {
            for (int i = 0; i < size; i++) {
                cluster.nodes.add(RunnelNode.create(workDir.resolve("node-" + (i + 1)), i + 1, ports.get(2 * i),
                        ports.get(2 * i + 1), voters.toString(), overrides));
            }
            // launch() waits for its own broker to be unfenced, which needs a quorum: start all, then wait for each.
            List<Thread> starters = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (RunnelNode n : cluster.nodes) {
                Thread t = new Thread(() -> {
                    try {
                        n.launch();
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }, "start-node-" + n.nodeId());
                t.start();
                starters.add(t);
            }
            for (Thread t : starters) {
                t.join();
            }
            if (!failures.isEmpty()) {
                AssertionError e = new AssertionError("the cluster did not start", failures.get(0));
                failures.stream().skip(1).forEach(e::addSuppressed);
                throw e;
            }
            return cluster;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cluster.close();
            throw new AssertionError("interrupted starting the cluster", e);
        } catch (RuntimeException | Error | IOException e) {
            cluster.close();
            throw e;
        }
    }

    /** Node {@code id} (1-based, as node ids are). */
    public RunnelNode node(int id) {
        return nodes.get(id - 1);
    }

    /** Every node, by id. */
    public List<RunnelNode> nodes() {
        return nodes;
    }

    /** {@code bootstrap.servers} naming every node's broker. */
    public String bootstrap() {
        StringJoiner j = new StringJoiner(",");
        nodes.forEach(n -> j.add(n.bootstrap()));
        return j.toString();
    }

    /** Copies each node's log to {@code dir/<prefix><id>.log}. */
    public void copyLogsTo(Path dir, String prefix) throws IOException {
        for (RunnelNode n : nodes) {
            n.copyLogTo(dir.resolve(prefix + n.nodeId() + ".log"));
        }
    }

    /** Stops every node by its pid (SIGTERM, then SIGKILL), in parallel so a slow node does not delay the others. */
    @Override
    public void close() {
        List<Thread> stoppers = new ArrayList<>();
        for (RunnelNode n : nodes) {
            Thread t = new Thread(n::close, "stop-node-" + n.nodeId());
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
