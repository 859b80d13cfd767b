package io.runnel.jepsen.replication;

import io.runnel.jepsen.ImageProbe;
import io.runnel.jepsen.NodeProcess;
import io.runnel.jepsen.ProcessCluster;
import io.runnel.jepsen.Waits;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * Three combined Runnel nodes as real processes (as {@code config/cluster/}, on free ports), with an Admin client
 * for what the tests observe: partition leaders and ISRs as {@code topics --describe} shows them.
 */
final class ReplicatedCluster implements AutoCloseable {
    static final Duration START_LIMIT = Duration.ofSeconds(60);
    private final ProcessCluster processes;
    private Admin admin;
    private Admin probe;
    private final ImageProbe images = new ImageProbe();

    /** Writes the nodes' files with Kafka's cluster defaults plus {@code extra}; starts every node. */
    ReplicatedCluster(Path dir, Map<String, String> extra) throws IOException {
        Map<String, String> props = new HashMap<>(Map.of("default.replication.factor", "3",
                "min.insync.replicas", "2", "broker.heartbeat.interval.ms", "500",
                "unclean.leader.election.enable", "false", "replica.fetch.backoff.ms", "200",
                "num.io.threads", "4", "num.network.threads", "2"));
        props.putAll(extra);
        processes = new ProcessCluster(dir, 3, true, props);
        processes.startAll();
        for (NodeProcess n : processes.nodes()) {
            n.awaitLog("Listening on PLAINTEXT", START_LIMIT);
        }
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
        // observations use a second client with a 1 s request timeout: a request sent to a SIGSTOPped broker then
        // costs 1 s before the client tries another broker, instead of delaying what the test sees by 5 s
        probe = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000));
        Waits.await("three unfenced brokers", START_LIMIT, () -> liveBrokers() == 3);
    }

    String bootstrap() {
        StringJoiner j = new StringJoiner(",");
        for (int id = 1; id <= 3; id++) {
            j.add("127.0.0.1:" + processes.brokerPort(id));
        }
        return j.toString();
    }

    /** The bootstrap list without {@code excluded}. */
    String bootstrapWithout(int excluded) {
        StringJoiner j = new StringJoiner(",");
        for (int id = 1; id <= 3; id++) {
            if (id != excluded) {
                j.add("127.0.0.1:" + processes.brokerPort(id));
            }
        }
        return j.toString();
    }

    /** The PLAINTEXT port of node {@code id}. */
    int brokerPort(int id) {
        return processes.brokerPort(id);
    }

    /**
     * Every record value of {@code topic}'s partition {@code partition} from its start to the high watermark, read
     * by an assign-mode consumer on every broker; fails when the end is not reached within 30 s.
     */
    List<String> readValues(String topic, int partition) {
        TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000, ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000),
                new StringDeserializer(), new StringDeserializer())) {
            c.assign(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            List<String> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (c.position(tp) < end) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + tp + " to its end offset " + end);
                }
                c.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
            }
            return out;
        }
    }

    /** The high watermark of {@code topic}'s partition as a consumer sees it (ListOffsets latest). */
    long highWatermark(String topic, int partition) {
        TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(), ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000), new StringDeserializer(), new StringDeserializer())) {
            return c.endOffsets(List.of(tp)).get(tp);
        }
    }

    NodeProcess node(int id) {
        return processes.node(id);
    }

    /**
     * Creates {@code topic} with replication factor 3 and waits until every partition has a full ISR and every node
     * serves an image that has it (a new topic starts with a full ISR, so the first check alone passes as soon as one
     * broker knows the topic; a lookup that then reaches another broker would find no topic).
     */
    void createTopic(String topic, int partitions, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 3).configs(configs))).all()
                .get(30, TimeUnit.SECONDS);
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            Waits.await("a full ISR for " + topic + "-" + p, START_LIMIT, () -> {
                TopicPartitionInfo i = describe(topic, partition);
                return i != null && i.leader() != null && i.isr().size() == 3;
            });
        }
        awaitSameServedImage();
    }

    /** The partition as the cluster describes it now, or null when no broker answers. */
    TopicPartitionInfo describe(String topic, int partition) {
        try {
            TopicDescription d = probe.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic);
            return d.partitions().get(partition);
        } catch (Exception e) {
            return null;
        }
    }

    /** The leader's id, or -1 for none (or no answer). */
    int leader(String topic, int partition) {
        TopicPartitionInfo i = describe(topic, partition);
        return i == null || i.leader() == null || i.leader().isEmpty() ? -1 : i.leader().id();
    }

    /** The ISR's broker ids, or null when no broker answers. */
    List<Integer> isr(String topic, int partition) {
        TopicPartitionInfo i = describe(topic, partition);
        return i == null ? null : i.isr().stream().map(Node::id).sorted().toList();
    }

    /**
     * Waits until every node's broker serves the same metadata image (their {@code ServedImageOffset} over JMX is one
     * value, equal to each node's {@code ImageOffset}). Call it after SIGCONT and before trusting what {@link #isr},
     * {@link #leader} or a client reports: a node that was stopped answers from the image it had when it stopped
     * (itself as leader, an ISR that has since shrunk, an old high watermark) until it has caught up with the
     * metadata log, and an Admin may ask exactly that node. Every node must be running (attaching to a stopped JVM
     * waits for it).
     */
    void awaitSameServedImage() {
        List<Long> pids = processes.nodes().stream().map(NodeProcess::pid).toList();
        Waits.await("every node serving the same metadata image", START_LIMIT, () -> {
            List<ImageProbe.Image> all = images.readAll(pids);
            return all != null && all.stream().allMatch(i -> i.servedImageOffset() == i.imageOffset())
                    && all.stream().map(ImageProbe.Image::imageOffset).distinct().count() == 1;
        });
    }

    /** The node id of the active controller (the Ratis leader), from DescribeQuorum; -1 without an answer. */
    int activeController() {
        try {
            return probe.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId();
        } catch (Exception e) {
            return -1;
        }
    }

    private int liveBrokers() {
        try {
            return probe.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Restarts a node that was killed, waiting until it serves clients again. */
    void restart(int id) throws IOException {
        node(id).start();
        node(id).awaitLog("Listening on PLAINTEXT", START_LIMIT);
    }

    /** SIGTERM to every node, waiting for each to exit (clean shutdown: logs closed). */
    void terminateAll() throws InterruptedException {
        admin.close(Duration.ofSeconds(5));
        probe.close(Duration.ofSeconds(5));
        admin = null;
        probe = null;
        for (int id = 3; id >= 1; id--) {
            if (node(id).isAlive()) {
                node(id).terminate(Duration.ofSeconds(60));
            }
        }
    }

    /** The data directory of node {@code id}. */
    Path dataDir(Path dir, int id) {
        return dir.resolve("data/node-" + id);
    }

    @Override
    public void close() throws InterruptedException {
        images.close();
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (probe != null) {
            probe.close(Duration.ofSeconds(5));
        }
        for (NodeProcess n : processes.nodes()) {
            if (n.isAlive()) {
                try {
                    n.resume();
                } catch (IOException | AssertionError e) {
                    // it is killed next anyway
                }
            }
        }
        processes.close();
    }
}
