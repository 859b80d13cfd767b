package io.runnel.jepsen.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.jepsen.NodeProcess;
import io.runnel.jepsen.ProcessCluster;
import io.runnel.jepsen.RunnelCli;
import io.runnel.jepsen.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's "a reassignment survives kill -9 midway", with real processes and the real CLI: three combined nodes and
 * a broker-only node 4; a throttled {@code bin/runnel reassign-partitions --execute} moves one replica of a 16 MiB
 * partition and of a partition an acks=all producer writes to onto broker 4; while broker 4 is copying, broker 4 and
 * the active controller's node are killed with SIGKILL (meanwhile {@code --remove-broker} is refused: a move is
 * running), the controller's node restarts, then the leader of the big partition is killed too, and both restart.
 * The move then completes ({@code --verify}, which also clears the throttles), broker 4 is in both ISRs with all of
 * the leader's bytes, and, with broker 4 elected leader, every acknowledged record is read exactly once at the offset
 * the producer was told.
 */
@Timeout(value = 360, unit = TimeUnit.SECONDS)
class ReassignmentKillProcessTest {
    private static final String BULK = "bulk";
    private static final String WRITTEN = "written";
    private static final int BULK_BYTES = 16 << 20;
    private static final int THROTTLE_BYTES_PER_S = 2 << 20;
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
        return RunnelCli.run(dir, Duration.ofSeconds(120), args);
    }

    @Test
    void aThrottledMoveCompletesAfterKill9OfTheAddingBrokerTheActiveControllerAndTheLeader() throws Exception {
        cluster = ProcessCluster.withExtraBrokers(dir, 3, 1, Map.of("broker.heartbeat.interval.ms", "500",
                "broker.session.timeout.ms", "6000", "min.insync.replicas", "2"));
        for (int id = 1; id <= 4; id++) {
            cluster.node(id).start();
        }
        for (int id = 1; id <= 4; id++) {
            cluster.node(id).awaitLog("Listening on PLAINTEXT", Duration.ofSeconds(90));
        }
        String bootstrap = cluster.bootstrap(1, 2, 3);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Waits.await("4 unfenced brokers", Duration.ofSeconds(90), () -> holds(() ->
                    admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() == 4));
            admin.createTopics(List.of(new NewTopic(BULK, Map.of(0, List.of(1, 2, 3))),
                    new NewTopic(WRITTEN, Map.of(0, List.of(1, 2, 3), 1, List.of(2, 3, 1)))))
                    .all().get(30, TimeUnit.SECONDS);
            fill(bootstrap);
            ProduceHistory history = new ProduceHistory(bootstrap, WRITTEN, 2_000, 200);
            history.start();
            Waits.await("the producer under way", Duration.ofSeconds(60), () -> history.acknowledged() > 200);

            // broker 4 replaces broker 1 in bulk-0 and written-0, first in the list: the preferred leader
            Path plan = dir.resolve("plan.json");
            Files.writeString(plan, "{\"version\":1,\"partitions\":["
                    + "{\"topic\":\"" + BULK + "\",\"partition\":0,\"replicas\":[4,2,3]},"
                    + "{\"topic\":\"" + WRITTEN + "\",\"partition\":0,\"replicas\":[4,2,3]}]}");
            RunnelCli.Result execute = cli("reassign-partitions", "--bootstrap-server", bootstrap, "--execute",
                    "--reassignment-json-file", plan.toString(), "--throttle", Integer.toString(THROTTLE_BYTES_PER_S));
            assertEquals(0, execute.exitCode(), execute.out() + "\n" + execute.err());

            TopicPartition bulk = new TopicPartition(BULK, 0);
            Waits.await("broker 4 to copy the first MiB of " + bulk, Duration.ofSeconds(60),
                    () -> holds(() -> size(admin, 4, bulk) > (1 << 20)));
            long copied = size(admin, 4, bulk);
            assertTrue(copied < BULK_BYTES, "the throttled copy was already done (" + copied + " bytes)");
            int controller = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
            NodeProcess adding = cluster.node(4);
            NodeProcess active = cluster.node(controller);
            adding.kill9();
            active.kill9();
            System.out.printf("ReassignmentKillProcessTest: killed broker 4 at %d of %d bytes, and node %d (the active"
                    + " controller)%n", copied, BULK_BYTES, controller);
            // with broker 4 down the move cannot finish: planning another one is refused meanwhile
            RunnelCli.Result refused = cli("reassign-partitions", "--bootstrap-server", bootstrap, "--remove-broker",
                    "2", "--dry-run");
            assertEquals(1, refused.exitCode(), refused.out() + "\n" + refused.err());
            String refusal = String.join("\n", refused.err());
            assertTrue(refusal.contains("Cannot plan --remove-broker while") && refusal.contains("(bulk-0"), refusal);
            active.start();
            active.awaitLog("is now unfenced", Duration.ofSeconds(90));

            // then, broker 4 still down, the partition's leader (a majority of controllers stays up throughout)
            int leader = Waits.awaitValue("a leader of " + bulk, Duration.ofSeconds(60), () -> {
                Integer l = call(() -> leader(admin, BULK, 0));
                return l == null || l < 0 ? null : l;
            });
            NodeProcess leading = cluster.node(leader);
            leading.kill9();
            System.out.printf("ReassignmentKillProcessTest: killed node %d (the leader of %s)%n", leader, bulk);
            leading.start();
            adding.start();

            RunnelCli.Result done = Waits.awaitValue("--verify to report the move completed",
                    Duration.ofSeconds(180), () -> call(() -> {
                        RunnelCli.Result r = cli("reassign-partitions", "--bootstrap-server", bootstrap, "--verify",
                                "--reassignment-json-file", plan.toString());
                        return r.exitCode() == 0 && r.out().stream().filter(l -> l.endsWith("is completed."))
                                .count() == 2 ? r : null;
                    }));
            assertTrue(done.out().stream().anyMatch(l -> l.startsWith("Clearing broker-level throttles")),
                    String.join("\n", done.out()));
            Waits.await("broker 4 in the ISR of " + bulk + " with the leader's bytes", Duration.ofSeconds(60),
                    () -> holds(() -> isr(admin, BULK, 0).contains(4)
                            && size(admin, 4, bulk) == size(admin, leader(admin, BULK, 0), bulk)));
            RunnelCli.Result elect = cli("leader-election", "--bootstrap-server", bootstrap, "--election-type",
                    "preferred", "--all-topic-partitions");
            assertEquals(0, elect.exitCode(), elect.out() + "\n" + elect.err());
            Waits.await("broker 4 to lead " + WRITTEN + "-0", Duration.ofSeconds(60),
                    () -> holds(() -> leader(admin, WRITTEN, 0) == 4));

            history.finish(Duration.ofSeconds(120));
            String summary = history.check(2);
            System.out.println("ReassignmentKillProcessTest: " + summary + "; longest pause between acknowledgements "
                    + history.longestAckGapMs() + " ms");
        }
    }

    /** 16 MiB of 64 KiB records into bulk-0, acks=all. */
    private static void fill(String bootstrap) {
        byte[] value = new byte[64 << 10];
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap, ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < BULK_BYTES / value.length; i++) {
                p.send(new ProducerRecord<>(BULK, 0, null, value));
            }
            p.flush();
        }
    }

    /** Bytes of {@code tp} on broker {@code id} (DescribeLogDirs), -1 when it holds none. */
    private static long size(Admin admin, int id, TopicPartition tp) throws Exception {
        Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(id)).descriptions().get(id)
                .get(10, TimeUnit.SECONDS);
        for (LogDirDescription d : dirs.values()) {
            ReplicaInfo r = d.replicaInfos().get(tp);
            if (r != null) {
                return r.size();
            }
        }
        return -1;
    }

    private static TopicPartitionInfo partition(Admin admin, String topic, int p) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(topic);
        return d.partitions().get(p);
    }

    private static List<Integer> isr(Admin admin, String topic, int p) throws Exception {
        return partition(admin, topic, p).isr().stream().map(Node::id).toList();
    }

    private static int leader(Admin admin, String topic, int p) throws Exception {
        Node leader = partition(admin, topic, p).leader();
        return leader == null ? -1 : leader.id();
    }

    private interface Probe<T> {
        T get() throws Exception;
    }

    /** Whether {@code probe} is true; false when it throws (a node is down, a call timed out). */
    private static boolean holds(Probe<Boolean> probe) {
        Boolean b = call(probe);
        return b != null && b;
    }

    /** {@code probe}'s value, or null when it throws: a node is down or a call timed out. */
    private static <T> T call(Probe<T> probe) {
        try {
            return probe.get();
        } catch (Exception e) {
            return null;
        }
    }
}
