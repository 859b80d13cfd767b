package io.runnel.compat.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.compat.RunnelNode;
import io.runnel.compat.Waits;
import io.runnel.metadata.testing.LoopbackPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Connect distributed (connect-runtime 4.4, in this JVM) against one Runnel node (a separate
 * {@code bin/runnel server-start} process): the worker creates its three internal topics on Runnel as compacted
 * topics, serves its REST API, runs a connector created through REST, and a new worker that replaces a stopped one
 * (same group, same topics) reads the connector's config back from the config topic, runs it again and resumes its
 * source offsets from the offset topic.
 *
 * <p>On failure the work directory (the node's log {@code runnel.log}, its data) is kept; the worker's log is
 * {@code compat-tests/target/connect-worker.log}, the node's log is copied to
 * {@code compat-tests/target/runnel-node.log}.
 */
class ConnectDistributedTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String GROUP = "runnel-connect";
    private static final String PREFIX = "connect";
    private static final String CONNECTOR = "counter";
    private static final String TOPIC = "counter-events";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void workerStartsOnRunnelAndARestartedWorkerKeepsConnectorConfigsAndOffsets() throws Exception {
        // The cleaner looks for dirty logs every second instead of every 15 s (Kafka's default).
        try (RunnelNode node = RunnelNode.start(workDir, "log.cleaner.backoff.ms=1000")) {
            try {
                runAgainst(node);
            } finally {
                node.copyLogTo(RunnelNode.repoRoot().resolve("compat-tests/target/runnel-node.log"));
            }
        }
    }

    private void runAgainst(RunnelNode node) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrap()))) {
            Map<String, String> config = Map.of(
                    "connector.class", CounterSourceConnector.class.getName(),
                    "tasks.max", "1",
                    CounterSourceConnector.TOPIC_CONFIG, TOPIC,
                    // Connect creates the connector's topic itself (KIP-158) rather than the broker auto-creating it.
                    "topic.creation.default.replication.factor", "1",
                    "topic.creation.default.partitions", "1");
            Map<String, String> configBefore;
            List<ConsumerRecord<String, String>> before;

            int port1 = LoopbackPorts.free();
            try (ConnectWorker worker = ConnectWorker.start(ConnectWorker.workerProps(node.bootstrap(), GROUP, PREFIX,
                    port1), port1)) {
                ConnectRest rest = new ConnectRest(worker.rest());
                awaitReady(rest, node, admin);
                assertInternalTopicsCompacted(admin);

                // 409 until the worker has joined its group: retried; any other answer but 201 fails.
                List<ConnectRest.Reply> created = new ArrayList<>();
                Waits.await("PUT /connectors/" + CONNECTOR + "/config", WAIT, () -> {
                    ConnectRest.Reply r = rest.putConnectorConfig(CONNECTOR, config);
                    created.add(0, r);
                    return r.status() != 409;
                }, () -> created.isEmpty() ? "" : created.get(0).body());
                assertEquals(201, created.get(0).status(), "PUT /connectors/counter/config: " + created.get(0).body());
                awaitRunning(rest, node);
                Waits.await("Connect to create topic " + TOPIC, WAIT, () -> admin.listTopics().names().get()
                        .contains(TOPIC), () -> "");
                try (KafkaConsumer<String, String> consumer = consumer(node)) {
                    List<ConsumerRecord<String, String>> seen = new ArrayList<>();
                    Waits.await("20 records from the connector", WAIT, () -> {
                        seen.addAll(poll(consumer));
                        return seen.size() >= 20;
                    }, () -> seen.size() + " records");
                }
                Map<String, String> latest = reconfigureUntilConfigTopicCleaned(admin, rest, node, config);
                configBefore = storedConfig(rest);
                assertEquals(latest.get(CounterSourceConnector.INTERVAL_CONFIG),
                        configBefore.get(CounterSourceConnector.INTERVAL_CONFIG), "the connector's latest config");
                worker.stop();
            }
            // The stopped worker's producer is closed: everything it sent is in the log now.
            try (KafkaConsumer<String, String> consumer = consumer(node)) {
                before = readToEnd(consumer);
            }
            long maxBefore = before.stream().mapToLong(r -> Long.parseLong(r.value())).max().orElse(-1);
            assertTrue(maxBefore >= 19, "the first worker's last number: " + maxBefore);
            assertEquals(maxBefore + 1, before.stream().map(ConsumerRecord::value).distinct().count(),
                    "the first worker wrote every number from 0 to " + maxBefore);
            Set<String> runsBefore = new HashSet<>();
            before.forEach(r -> runsBefore.add(r.key()));

            int port2 = LoopbackPorts.free();
            try (ConnectWorker worker = ConnectWorker.start(ConnectWorker.workerProps(node.bootstrap(), GROUP, PREFIX,
                    port2), port2);
                 KafkaConsumer<String, String> consumer = consumer(node)) {
                ConnectRest rest = new ConnectRest(worker.rest());
                awaitReady(rest, node, admin);
                Waits.await("the new worker to list connector " + CONNECTOR, WAIT,
                        () -> rest.get("/connectors").body().contains("\"" + CONNECTOR + "\""),
                        () -> body(rest, "/connectors"));
                assertEquals(configBefore, storedConfig(rest), "the connector's config after the worker restart");
                awaitRunning(rest, node);

                consumer.seekToBeginning(consumer.assignment());
                List<ConsumerRecord<String, String>> after = new ArrayList<>();
                Waits.await("records of the restarted task", WAIT, () -> {
                    after.addAll(poll(consumer));
                    return after.stream().filter(r -> !runsBefore.contains(r.key())).count() >= 5;
                }, () -> after.size() + " records");
                ConsumerRecord<String, String> firstNew = after.stream()
                        .filter(r -> !runsBefore.contains(r.key())).findFirst().orElseThrow();
                long resumedAt = Long.parseLong(firstNew.value());
                assertTrue(resumedAt > 0 && resumedAt <= maxBefore + 1, "the restarted task resumed at " + resumedAt
                        + ", expected the committed offset: above 0 and at most " + (maxBefore + 1));
                System.out.printf("ConnectDistributedTest: first worker wrote 0..%d, the restarted task resumed at"
                        + " %d%n", maxBefore, resumedAt);
                worker.stop();
            }
            assertTrue(node.warnings().stream().noneMatch(l -> l.contains("[ERROR]")),
                    "the Runnel node logged errors: " + node.warnings());
        }
    }

    /**
     * {@code GET /connectors/counter/config}, asked until it answers 200: right after a config update or a worker
     * start the group may be rebalancing, and the worker answers 409 meanwhile.
     */
    private static Map<String, String> storedConfig(ConnectRest rest) {
        List<Map<String, String>> found = new ArrayList<>();
        Waits.await("GET /connectors/" + CONNECTOR + "/config", WAIT, () -> {
            Map<String, String> c = rest.connectorConfig(CONNECTOR);
            return c != null && found.add(c);
        }, () -> body(rest, "/connectors/" + CONNECTOR + "/config"));
        return found.get(0);
    }

    /**
     * Makes Runnel's log cleaner compact Connect's config topic while the worker uses it: the topic rolls a segment
     * every 100 ms and is cleanable at any dirty ratio; then the connector's config is updated three times through
     * REST (each update appends new versions of the same keys), and the test waits for the cleaner's line about
     * {@code connect-configs-0} in the node's log.
     *
     * @return the last config put
     */
    private static Map<String, String> reconfigureUntilConfigTopicCleaned(Admin admin, ConnectRest rest,
            RunnelNode node, Map<String, String> config) throws Exception {
        ConfigResource configTopic = new ConfigResource(ConfigResource.Type.TOPIC, PREFIX + "-configs");
        admin.incrementalAlterConfigs(Map.of(configTopic, List.of(
                new AlterConfigOp(new ConfigEntry("segment.ms", "100"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("min.cleanable.dirty.ratio", "0.01"), AlterConfigOp.OpType.SET))))
                .all().get(30, TimeUnit.SECONDS);
        Map<String, String> latest = config;
        for (int i = 1; i <= 3; i++) {
            Thread.sleep(300);
            Map<String, String> next = new HashMap<>(config);
            next.put(CounterSourceConnector.INTERVAL_CONFIG, Integer.toString(50 - 10 * i));
            // 409 while the group rebalances after the previous update: retried.
            Waits.await("PUT of config version " + i, WAIT, () -> rest.putConnectorConfig(CONNECTOR, next).ok(),
                    () -> body(rest, "/connectors/" + CONNECTOR + "/status"));
            awaitRunning(rest, node);
            latest = next;
        }
        node.awaitLogLine("Cleaned log " + PREFIX + "-configs-0", WAIT);
        return latest;
    }

    /**
     * Waits until the worker answers {@code GET /} (its version) and {@code GET /connectors}, and its three internal
     * topics exist on Runnel. {@code GET /connectors} reads the worker's in-memory config snapshot, not the herder:
     * it answers 200 as soon as the REST server is up, possibly before the herder has created (or read) the internal
     * topics, so it alone proves nothing about the worker's progress.
     */
    private static void awaitReady(ConnectRest rest, RunnelNode node, Admin admin) {
        Waits.await("GET / with the worker's version", WAIT, () -> {
            ConnectRest.Reply r = rest.get("/");
            return r.status() == 200 && r.json() != null && r.json().path("version").asText().startsWith("4.4");
        }, () -> "");
        Waits.await("GET /connectors to answer 200", WAIT, () -> rest.get("/connectors").status() == 200,
                () -> warnings(node));
        List<String> internal = List.of(PREFIX + "-configs", PREFIX + "-offsets", PREFIX + "-status");
        Waits.await("the worker to create its internal topics " + internal, WAIT,
                () -> admin.listTopics().names().get(30, TimeUnit.SECONDS).containsAll(internal),
                () -> warnings(node));
    }

    private static void awaitRunning(ConnectRest rest, RunnelNode node) {
        Waits.await("connector " + CONNECTOR + " and its task RUNNING", WAIT, () -> rest.runningWithTasks(CONNECTOR),
                () -> body(rest, "/connectors/" + CONNECTOR + "/status") + "; " + warnings(node));
    }

    /** Connect's internal topics exist on Runnel with cleanup.policy=compact; the config topic has 1 partition. */
    private static void assertInternalTopicsCompacted(Admin admin) throws Exception {
        List<String> topics = List.of(PREFIX + "-configs", PREFIX + "-offsets", PREFIX + "-status");
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                .get(30, TimeUnit.SECONDS);
        assertEquals(1, described.get(PREFIX + "-configs").partitions().size(), "partitions of the config topic");
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        for (ConfigResource r : resources) {
            assertEquals("compact", configs.get(r).get("cleanup.policy").value(), "cleanup.policy of " + r.name());
        }
    }

    private static KafkaConsumer<String, String> consumer(RunnelNode node) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        return consumer;
    }

    private static List<ConsumerRecord<String, String>> poll(KafkaConsumer<String, String> consumer) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        return out;
    }

    private static List<ConsumerRecord<String, String>> readToEnd(KafkaConsumer<String, String> consumer) {
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        Waits.await("reading " + TOPIC + " to its end offset " + end, WAIT, () -> {
            out.addAll(poll(consumer));
            return consumer.position(tp, Duration.ofSeconds(10)) >= end;
        }, () -> out.size() + " records");
        return out;
    }

    /** The body of {@code GET path}, or the exception, for failure messages. */
    private static String body(ConnectRest rest, String path) {
        try {
            return rest.get(path).body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String warnings(RunnelNode node) {
        try {
            List<String> w = node.warnings();
            return "Runnel's warnings: " + w.subList(Math.max(0, w.size() - 20), w.size());
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
