package io.runnel.cli.compat;

import io.runnel.broker.config.ServerConfig;
import io.runnel.broker.node.RunnelNode;
import io.runnel.cli.CliRunner;
import io.runnel.cli.LaunchedProcesses;
import io.runnel.metadata.testing.LoopbackPorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Apache Kafka's {@code ReassignPartitionsCommand} (what {@code kafka-reassign-partitions.sh} runs, in its own JVM on
 * this test's classpath) against three Runnel nodes in this JVM: {@code --execute} starts a move (KIP-455) and
 * {@code --verify} reports it completed, after which the partition has the new replicas; {@code bin/runnel
 * reassign-partitions} (in this JVM) moves it back the same way.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KafkaReassignPartitionsTest {
    private static final String TOOL = "org.apache.kafka.tools.reassign.ReassignPartitionsCommand";
    @TempDir
    Path dir;
    private final List<RunnelNode> nodes = new ArrayList<>();
    private LaunchedProcesses processes;

    @AfterEach
    void stop() throws Exception {
        if (processes != null) {
            processes.close();
        }
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
    }

    private String startCluster() throws Exception {
        List<Integer> ports = LoopbackPorts.free(6);
        StringJoiner voters = new StringJoiner(",");
        StringJoiner bootstrap = new StringJoiner(",");
        for (int id = 1; id <= 3; id++) {
            voters.add(id + "@127.0.0.1:" + ports.get(id + 2));
            bootstrap.add("127.0.0.1:" + ports.get(id - 1));
        }
        for (int id = 1; id <= 3; id++) {
            Map<String, String> m = new HashMap<>();
            m.put("process.roles", "broker,controller");
            m.put("node.id", String.valueOf(id));
            m.put("controller.quorum.voters", voters.toString());
            m.put("listeners", "PLAINTEXT://127.0.0.1:" + ports.get(id - 1) + ",CONTROLLER://127.0.0.1:"
                    + ports.get(id + 2));
            m.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + ports.get(id - 1));
            m.put("controller.listener.names", "CONTROLLER");
            m.put("inter.broker.listener.name", "PLAINTEXT");
            m.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
            m.put("log.dirs", dir.resolve("node-" + id).toString());
            m.put("broker.heartbeat.interval.ms", "300");
            m.put("broker.session.timeout.ms", "3000");
            m.put("num.io.threads", "2");
            m.put("num.network.threads", "1");
            nodes.add(RunnelNode.start(ServerConfig.of(m)));
        }
        return bootstrap.toString();
    }

    private LaunchedProcesses.Result tool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), TOOL));
        command.addAll(List.of(args));
        return processes.runCommand(command, Map.of(), null);
    }

    @Test
    void executeThenVerifyMovesAReplica() throws Exception {
        String bootstrap = startCluster();
        processes = new LaunchedProcesses(dir);
        Map<String, Object> props = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (admin.describeCluster().nodes().get().size() < 3) {
                assertTrue(System.nanoTime() < deadline, "three brokers unfenced");
                Thread.sleep(100);
            }
            admin.createTopics(List.of(new NewTopic("r", 1, (short) 2))).all().get();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 50; i++) {
                    producer.send(new ProducerRecord<>("r", 0, "k" + i, "v" + i));
                }
                producer.flush();
            }
            List<Integer> replicas = admin.describeTopics(List.of("r")).allTopicNames().get().get("r").partitions()
                    .get(0).replicas().stream().map(Node::id).toList();
            int kept = replicas.get(1);
            int added = 6 - replicas.get(0) - replicas.get(1);
            Path json = dir.resolve("move.json");
            Files.writeString(json, "{\"version\":1,\"partitions\":[{\"topic\":\"r\",\"partition\":0,\"replicas\":["
                    + kept + "," + added + "]}]}");

            LaunchedProcesses.Result execute = tool("--bootstrap-server", bootstrap, "--execute",
                    "--reassignment-json-file", json.toString());
            assertEquals(0, execute.exitCode(), () -> execute.out() + " " + execute.err());
            assertTrue(execute.out().contains("Successfully started partition reassignment for r-0"),
                    execute.out()::toString);

            LaunchedProcesses.Result verify;
            do {
                assertTrue(System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(60), "the move completes");
                verify = tool("--bootstrap-server", bootstrap, "--verify", "--reassignment-json-file",
                        json.toString());
                assertEquals(0, verify.exitCode(), verify.out() + " " + verify.err());
            } while (!verify.out().contains("Reassignment of partition r-0 is completed."));
            assertEquals(List.of(kept, added), admin.describeTopics(List.of("r")).allTopicNames().get().get("r")
                    .partitions().get(0).replicas().stream().map(Node::id).toList());

            // and back with bin/runnel reassign-partitions, in this JVM
            Path back = dir.resolve("back.json");
            Files.writeString(back, "{\"version\":1,\"partitions\":[{\"topic\":\"r\",\"partition\":0,\"replicas\":["
                    + replicas.get(0) + "," + replicas.get(1) + "]}]}");
            CliRunner.Result ours = CliRunner.run("reassign-partitions", "--bootstrap-server", bootstrap, "--execute",
                    "--reassignment-json-file", back.toString());
            assertEquals(0, ours.exitCode(), () -> ours.out() + " " + ours.err());
            CliRunner.Result ourVerify;
            do {
                assertTrue(System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(120), "the move back completes");
                ourVerify = CliRunner.run("reassign-partitions", "--bootstrap-server", bootstrap, "--verify",
                        "--reassignment-json-file", back.toString());
            } while (ourVerify.exitCode() != 0 || !ourVerify.out().contains(
                    "Reassignment of partition r-0 is completed."));
            assertEquals(replicas, admin.describeTopics(List.of("r")).allTopicNames().get().get("r")
                    .partitions().get(0).replicas().stream().map(Node::id).toList());
        }
    }
}
