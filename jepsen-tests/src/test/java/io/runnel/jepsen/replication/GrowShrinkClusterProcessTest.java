package io.runnel.jepsen.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.jepsen.NodeProcess;
import io.runnel.jepsen.ProcessCluster;
import io.runnel.jepsen.RunnelCli;
import io.runnel.jepsen.Waits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's growth acceptance with real processes and the real CLI: three combined nodes, an RF-3 topic, an acks=all
 * idempotent producer running throughout; a fourth (broker-only) process starts, {@code bin/runnel
 * reassign-partitions --add-broker 4} spreads replicas and preferred leaders over four brokers, then
 * {@code --remove-broker 1} moves every replica off broker 1, which is then stopped and unregistered ({@code bin/runnel
 * cluster unregister}). At the end every acknowledged record is read exactly once where the producer was told, and the
 * longest pause between two acknowledgements is reported.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class GrowShrinkClusterProcessTest {
    private static final String TOPIC = "grow";
    private static final int PARTITIONS = 6;
    @TempDir
    Path dir;
    private ProcessCluster cluster;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    private RunnelCli.Result cli(String... args) throws Exception {
        return RunnelCli.run(dir, Duration.ofSeconds(240), args);
    }

    private Map<Integer, List<Integer>> replicas(Admin admin) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(TOPIC);
        Map<Integer, List<Integer>> out = new HashMap<>();
        for (TopicPartitionInfo p : d.partitions()) {
            out.put(p.partition(), p.replicas().stream().map(Node::id).toList());
        }
        return out;
    }

    private Map<Integer, Integer> leaders(Admin admin) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(TOPIC);
        Map<Integer, Integer> count = new HashMap<>();
        for (TopicPartitionInfo p : d.partitions()) {
            if (p.leader() != null) {
                count.merge(p.leader().id(), 1, Integer::sum);
            }
        }
        return count;
    }

    /** Waits until {@code n} brokers are registered and unfenced (listening is not enough to place replicas). */
    private static void awaitBrokers(Admin admin, int n) {
        Waits.await(n + " unfenced brokers", Duration.ofSeconds(90), () -> {
            try {
                return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() == n;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void addABrokerThenRemoveOneUnderAnAcksAllProducer() throws Exception {
        cluster = ProcessCluster.withExtraBrokers(dir, 3, 1, Map.of("broker.heartbeat.interval.ms", "500",
                "broker.session.timeout.ms", "6000", "min.insync.replicas", "2"));
        for (int id = 1; id <= 3; id++) {
            cluster.node(id).start();
        }
        for (int id = 1; id <= 3; id++) {
            cluster.node(id).awaitLog("Listening on PLAINTEXT", Duration.ofSeconds(90));
        }
        String bootstrap = cluster.bootstrap(1, 2, 3);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            awaitBrokers(admin, 3);
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3))).all().get(30, TimeUnit.SECONDS);
            Waits.await("leaders for " + TOPIC, Duration.ofSeconds(60), () -> {
                try {
                    return leaders(admin).values().stream().mapToInt(Integer::intValue).sum() == PARTITIONS;
                } catch (Exception e) {
                    return false;
                }
            });
            ProduceHistory history = new ProduceHistory(bootstrap, TOPIC, 3_000, 300);
            history.start();
            Waits.await("the producer under way", Duration.ofSeconds(60), () -> history.acknowledged() > 300);

            NodeProcess fourth = cluster.node(4);
            fourth.start();
            awaitBrokers(admin, 4);
            RunnelCli.Result dry = cli("reassign-partitions", "--bootstrap-server", bootstrap, "--add-broker", "4",
                    "--dry-run");
            assertEquals(0, dry.exitCode(), String.join("\n", dry.err()));
            assertTrue(dry.out().contains("DRY RUN: no change was made."), String.join("\n", dry.out()));

            RunnelCli.Result add = cli("reassign-partitions", "--bootstrap-server", bootstrap, "--add-broker", "4");
            assertEquals(0, add.exitCode(), add.out() + "\n" + add.err());
            assertTrue(add.out().contains("Broker 4 now holds its share of replicas."), String.join("\n", add.out()));
            Map<Integer, Integer> load = new HashMap<>();
            replicas(admin).values().forEach(r -> r.forEach(b -> load.merge(b, 1, Integer::sum)));
            assertEquals(PARTITIONS * 3 / 4, load.get(4), "broker 4's share of the replicas: " + load);
            load.values().forEach(n -> assertTrue(n >= PARTITIONS * 3 / 4 && n <= PARTITIONS * 3 / 4 + 1,
                    "replicas per broker: " + load));
            Waits.await("broker 4 leads a partition", Duration.ofSeconds(60), () -> {
                try {
                    return leaders(admin).getOrDefault(4, 0) >= PARTITIONS / 4;
                } catch (Exception e) {
                    return false;
                }
            });

            RunnelCli.Result remove = cli("reassign-partitions", "--bootstrap-server", cluster.bootstrap(2, 3, 4),
                    "--remove-broker", "1");
            assertEquals(0, remove.exitCode(), remove.out() + "\n" + remove.err());
            replicas(admin).forEach((p, r) -> assertFalse(r.contains(1), "partition " + p + " on broker 1: " + r));
            assertTrue(remove.out().stream().anyMatch(l -> l.startsWith("Broker 1 now holds no replica. Stop it")),
                    String.join("\n", remove.out()));
            cluster.node(1).terminate(Duration.ofSeconds(60));
            String remaining = cluster.bootstrap(2, 3, 4);
            RunnelCli.Result unregister = Waits.awaitValue("broker 1 unregistered", Duration.ofSeconds(60), () -> {
                try {
                    RunnelCli.Result r = cli("cluster", "unregister", "--bootstrap-server", remaining, "--id", "1");
                    return r.exitCode() == 0 ? r : null;
                } catch (Exception e) {
                    return null;
                }
            });
            assertEquals(List.of("Broker 1 is no longer registered."), unregister.out());
            try (Admin rest = Admin.create(Map.of("bootstrap.servers", remaining))) {
                assertFalse(rest.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true)).nodes()
                        .get(30, TimeUnit.SECONDS).stream().anyMatch(n -> n.id() == 1), "broker 1 still registered");
            }
            RunnelCli.Result list = cli("reassign-partitions", "--bootstrap-server", remaining, "--list");
            assertEquals(List.of("No partition reassignments found."), list.out());

            history.finish(Duration.ofSeconds(120)); // its bootstrap list includes broker 1: the others answer
            String summary = history.check(PARTITIONS);
            System.out.println("grow/shrink: " + summary + "; longest pause between acknowledgements "
                    + history.longestAckGapMs() + " ms");
        }
    }
}
