package io.runnel.jepsen.cluster;

import io.runnel.jepsen.host.Hosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The run's cluster: {@code n} combined broker+controller nodes (every node a voter of the metadata quorum), one
 * {@link ServerNode} each, configured with Kafka's keys for a fault run (RF 3, {@code min.insync.replicas=2}, fast
 * fencing and ISR shrink) plus the user's {@code --server-prop}s, and an Admin client for what nemeses target
 * (partition leaders, the active controller).
 */
public final class JepsenCluster implements AutoCloseable {
    /** Server settings every run uses unless {@code --server-prop} overrides them. */
    public static final Map<String, String> DEFAULTS = defaults();

    private final Hosts hosts;
    private final List<ServerNode> nodes = new ArrayList<>();
    private final Admin admin;

    /**
     * Writes each node's {@code server.properties} under {@code runDir/nodes/n<id>/}; starts nothing.
     *
     * @param launcher  the server command before the config file ({@code bin/runnel server-start})
     * @param env       extra environment of every node process
     * @param overrides properties that replace or add to {@link #DEFAULTS}
     * @param clockFile node id -> libfaketime control file, empty when the clock nemesis is off
     */
    public JepsenCluster(Hosts hosts, int size, Path runDir, List<String> launcher, Map<String, String> env,
                         Map<String, String> overrides, Map<Integer, Path> clockFile) throws IOException {
        this.hosts = hosts;
        StringJoiner voters = new StringJoiner(",");
        for (int id = 1; id <= size; id++) {
            voters.add(id + "@" + hosts.address(id) + ":" + hosts.controllerPort(id));
        }
        for (int id = 1; id <= size; id++) {
            Path dir = runDir.resolve("nodes").resolve("n" + id);
            Files.createDirectories(dir);
            Map<String, String> props = new LinkedHashMap<>();
            props.put("process.roles", "broker,controller");
            props.put("node.id", Integer.toString(id));
            props.put("controller.quorum.voters", voters.toString());
            props.put("controller.listener.names", "CONTROLLER");
            props.put("listeners", "PLAINTEXT://" + hosts.address(id) + ":" + hosts.brokerPort(id)
                    + ",CONTROLLER://" + hosts.address(id) + ":" + hosts.controllerPort(id));
            props.put("advertised.listeners", "PLAINTEXT://" + hosts.address(id) + ":" + hosts.brokerPort(id));
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
            props.put("log.dirs", dir.resolve("data").toString());
            props.putAll(DEFAULTS);
            props.putAll(overrides);
            StringBuilder text = new StringBuilder("# written by bin/runnel jepsen run\n");
            props.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            Path config = dir.resolve("server.properties");
            Files.writeString(config, text);
            Map<String, String> nodeEnv = new LinkedHashMap<>(env);
            Path clock = clockFile.get(id);
            if (clock != null) {
                nodeEnv.putAll(ClockControl.environment(clock));
            }
            nodes.add(new ServerNode(id, hosts, dir, config, launcher, nodeEnv));
        }
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_500,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000));
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("default.replication.factor", "3");
        d.put("min.insync.replicas", "2");
        d.put("unclean.leader.election.enable", "false");
        d.put("auto.create.topics.enable", "false");
        d.put("broker.heartbeat.interval.ms", "500");
        d.put("broker.session.timeout.ms", "6000");
        d.put("replica.lag.time.max.ms", "5000");
        d.put("replica.fetch.backoff.ms", "200");
        d.put("num.io.threads", "4");
        d.put("num.network.threads", "2");
        d.put("group.initial.rebalance.delay.ms", "0");
        return Map.copyOf(d);
    }

    /** The run's Admin client (bootstrapping from every node); shared, not to be closed by callers. */
    public Admin admin() {
        return admin;
    }

    /** Every node's {@code address:port}, comma-separated. */
    public String bootstrap() {
        StringJoiner j = new StringJoiner(",");
        for (int id = 1; id <= nodes.size(); id++) {
            j.add(hosts.address(id) + ":" + hosts.brokerPort(id));
        }
        return j.toString();
    }

    public int size() {
        return nodes.size();
    }

    /** Node {@code id} (1-based). */
    public ServerNode node(int id) {
        return nodes.get(id - 1);
    }

    public List<ServerNode> nodes() {
        return List.copyOf(nodes);
    }

    /** Starts every node and waits until each listens and the cluster has {@code n} unfenced brokers. */
    public void start(Duration limit) throws IOException, InterruptedException {
        for (ServerNode n : nodes) {
            n.start();
        }
        await("every node listening", limit, () -> nodes.stream().allMatch(ServerNode::listening));
        await(nodes.size() + " unfenced brokers", limit, () -> liveBrokers() == nodes.size());
    }

    /**
     * Creates {@code topic} ({@code partitions} partitions, replication factor min(3, n)) and waits until every
     * partition has a leader and a full ISR.
     */
    public void createTopic(String topic, int partitions, Map<String, String> configs, Duration limit)
            throws Exception {
        short rf = (short) Math.min(3, nodes.size());
        admin.createTopics(List.of(new NewTopic(topic, partitions, rf).configs(configs))).all()
                .get(30, TimeUnit.SECONDS);
        await("leaders and full ISRs for " + topic, limit, () -> {
            List<TopicPartitionInfo> ps = describe(topic);
            return ps != null && ps.size() == partitions
                    && ps.stream().allMatch(p -> p.leader() != null && p.isr().size() == rf);
        });
    }

    /** The partitions of {@code topic} as some broker describes them, or null without an answer. */
    public List<TopicPartitionInfo> describe(String topic) {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS)
                    .get(topic);
            return d.partitions();
        } catch (Exception e) {
            return null;
        }
    }

    /** The leader of {@code topic}-{@code partition} as a broker describes it, or -1 when none answers or none. */
    public int leader(String topic, int partition) {
        List<TopicPartitionInfo> ps = describe(topic);
        if (ps == null || ps.size() <= partition) {
            return -1;
        }
        TopicPartitionInfo p = ps.get(partition);
        return p.leader() == null || p.leader().isEmpty() ? -1 : p.leader().id();
    }

    /** The active controller (the Ratis leader) from DescribeQuorum, or -1 without an answer. */
    public int activeController() {
        try {
            return admin.describeMetadataQuorum().quorumInfo().get(5, TimeUnit.SECONDS).leaderId();
        } catch (Exception e) {
            return -1;
        }
    }

    private int liveBrokers() {
        try {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Nodes whose process exited although no nemesis killed it. */
    public List<Integer> crashed() {
        return nodes.stream().filter(ServerNode::exitedUnexpectedly).map(ServerNode::id).toList();
    }

    /**
     * Polls {@code condition} every 250 ms.
     *
     * @throws IllegalStateException when it does not hold within {@code limit}
     */
    public static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + limit.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    /** SIGTERM to every node (SIGKILL after 10 s) and closes the Admin. */
    @Override
    public void close() throws InterruptedException {
        admin.close(Duration.ofSeconds(2));
        for (ServerNode n : nodes) {
            n.stop(10_000);
        }
    }

    /** SIGKILL to every node at once (Ctrl-C and crash paths). */
    public void killAll() {
        for (ServerNode n : nodes) {
            try {
                n.kill();
            } catch (InterruptedException | RuntimeException ignored) {
                // best effort on the way out
            }
        }
    }
}
