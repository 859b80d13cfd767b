package io.runnel.broker.group;

import io.runnel.broker.config.ServerConfig;
import io.runnel.broker.node.RunnelNode;
import io.runnel.broker.testing.Ports;
import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.MetadataImage;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Runnel nodes ({@code process.roles=broker,controller}) in this JVM, as the server process wires them, on free
 * loopback ports, with {@code group.initial.rebalance.delay.ms=0} and a 500 ms broker heartbeat. A node can be
 * stopped and started again on the same storage and ports. Closing stops every running node.
 */
final class TestNodes implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(60);
    private final Path dir;
    private final Map<Integer, Integer> quorumPorts = new LinkedHashMap<>();
    private final Map<String, String> extra;
    private final Map<Integer, RunnelNode> running = new HashMap<>();

    private TestNodes(Path dir, int count, Map<String, String> extra) {
        this.dir = dir;
        this.extra = extra;
        List<Integer> ports = Ports.free(count);
        for (int i = 0; i < count; i++) {
            quorumPorts.put(i + 1, ports.get(i));
        }
    }

    /** Starts {@code count} nodes (ids 1..count) and waits until every broker is unfenced in every image. */
    static TestNodes start(Path dir, int count, Map<String, String> extra) throws IOException {
        TestNodes nodes = new TestNodes(dir, count, extra);
        try {
            List<Thread> starters = new ArrayList<>();
            List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int id : nodes.quorumPorts.keySet()) {
                Thread t = new Thread(() -> {
                    try {
                        nodes.startNode(id);
                    } catch (Exception e) {
                        failures.add(e);
                    }
                });
                t.start();
                starters.add(t);
            }
            for (Thread t : starters) {
                t.join(WAIT.toMillis());
            }
            if (!failures.isEmpty()) {
                throw new IOException("a node did not start", failures.get(0));
            }
            nodes.awaitUnfenced(nodes.quorumPorts.keySet().stream().toList());
            return nodes;
        } catch (IOException | RuntimeException | Error e) {
            nodes.close();
            throw e;
        } catch (InterruptedException e) {
            nodes.close();
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private Map<String, String> config(int id) {
        Map<String, String> c = new HashMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", String.valueOf(id));
        c.put("controller.quorum.voters", quorumPorts.entrySet().stream()
                .map(e -> e.getKey() + "@127.0.0.1:" + e.getValue()).collect(Collectors.joining(",")));
        c.put("listeners", "PLAINTEXT://127.0.0.1:0,CONTROLLER://127.0.0.1:" + quorumPorts.get(id));
        c.put("controller.listener.names", "CONTROLLER");
        c.put("log.dirs", dir.resolve("node-" + id).toString());
        c.put("group.initial.rebalance.delay.ms", "0");
        c.put("broker.heartbeat.interval.ms", "500");
        c.put("num.partitions", "1");
        c.put("default.replication.factor", "1");
        c.putAll(extra);
        return c;
    }

    /** Starts node {@code id} (again) on its storage. */
    synchronized RunnelNode startNode(int id) throws IOException {
        RunnelNode node = RunnelNode.start(ServerConfig.of(config(id)));
        running.put(id, node);
        return node;
    }

    /** Stops node {@code id} (controlled shutdown first, as SIGTERM does). */
    void stopNode(int id) throws IOException {
        RunnelNode node;
        synchronized (this) {
            node = running.remove(id);
        }
        if (node != null) {
            node.close();
        }
    }

    synchronized RunnelNode node(int id) {
        return running.get(id);
    }

    synchronized List<Integer> runningIds() {
        return running.keySet().stream().sorted().toList();
    }

    /** {@code 127.0.0.1:port} of every running broker. */
    synchronized String bootstrap() {
        return running.values().stream().map(n -> "127.0.0.1:" + n.brokerPort("PLAINTEXT"))
                .collect(Collectors.joining(","));
    }

    int brokerPort(int id) {
        return node(id).brokerPort("PLAINTEXT");
    }

    /** Node {@code id}'s current metadata image. */
    MetadataImage image(int id) {
        return node(id).controller().stateMachine().image();
    }

    /**
     * Waits until every running node's image, and the image its broker serves from (a broker serves only once
     * unfenced), show each of {@code ids} registered and unfenced.
     */
    void awaitUnfenced(List<Integer> ids) {
        await("brokers " + ids + " unfenced everywhere", () -> runningIds().stream().allMatch(n -> ids.stream()
                .allMatch(id -> unfenced(image(n), id) && unfenced(node(n).servedImage(), id))));
    }

    private static boolean unfenced(MetadataImage image, int id) {
        BrokerRegistration b = image == null ? null : image.brokers().get(id);
        return b != null && !b.fenced();
    }

    /** Polls {@code condition} every 20 ms until it holds; fails after {@link #WAIT} naming {@code what}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + WAIT + " waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /** Stops every running node, all at once (one after another, the last ones would wait for a lost quorum). */
    @Override
    public void close() throws IOException {
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> stoppers = new ArrayList<>();
        for (int id : runningIds()) {
            Thread t = new Thread(() -> {
                try {
                    stopNode(id);
                } catch (Exception e) {
                    failures.add(e);
                }
            }, "stop-node-" + id);
            t.start();
            stoppers.add(t);
        }
        try {
            for (Thread t : stoppers) {
                t.join(WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!failures.isEmpty()) {
            throw new IOException("stopping a node failed", failures.get(0));
        }
    }
}
