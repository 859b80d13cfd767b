package io.runnel.jepsen;

import io.runnel.metadata.testing.LoopbackPorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped split-role files, {@code config/controller.properties} and {@code config/broker.properties}, as real
 * processes (only ports and data directories overridden): the broker-only node, started first, follows the
 * controller's metadata log by fetching; real clients create a topic, produce and consume through it; {@code
 * metadata-quorum describe --replication} lists it as an observer at lag 0; both images are equal by digest (JMX);
 * SIGTERM shuts the broker down cleanly (controlled shutdown).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SplitRolesProcessTest {
    @TempDir
    Path dir;
    private final List<NodeProcess> started = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        for (NodeProcess n : started) {
            n.destroy();
        }
    }

    private NodeProcess node(int id, String file, List<String> overrides) {
        NodeProcess n = new NodeProcess(id, NodeProcess.repoRoot().resolve("config/" + file), dir, overrides);
        started.add(n);
        return n;
    }

    @Test
    void theShippedSplitConfigsServeClientsThroughABrokerOnlyNode() throws Exception {
        int controllerPort = LoopbackPorts.free();
        int brokerPort = LoopbackPorts.free();
        String voters = "controller.quorum.voters=1@127.0.0.1:" + controllerPort;
        NodeProcess controller = node(1, "controller.properties", List.of(voters,
                "listeners=CONTROLLER://127.0.0.1:" + controllerPort,
                "log.dirs=" + dir.resolve("data/controller-1")));
        NodeProcess broker = node(2, "broker.properties", List.of(voters,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "log.dirs=" + dir.resolve("data/broker-2")));
        broker.start(); // before its controller: it keeps trying until the quorum is up
        broker.awaitLog("Listening on PLAINTEXT", Duration.ofSeconds(90));
        controller.start();
        controller.awaitLog("Listening on CONTROLLER", Duration.ofSeconds(90));
        broker.awaitLog("is now unfenced", Duration.ofSeconds(90));

        String bootstrap = "127.0.0.1:" + brokerPort;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "default.api.timeout.ms", "60000"))) {
            admin.createTopics(List.of(new NewTopic("split", 2, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "acks", "all"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>("split", 0, "k" + i, "v" + i)).get(60, TimeUnit.SECONDS);
                sent.add("v" + i);
            }
        }
        List<String> got = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap),
                new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition("split", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (got.size() < sent.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    got.add(r.value());
                }
            }
        }
        assertEquals(sent, got);

        Waits.await("describe --replication to list broker 2 as an observer at lag 0", Duration.ofSeconds(60), () -> {
            try {
                RunnelCli.Result r = RunnelCli.run(dir, Duration.ofSeconds(60), "metadata-quorum",
                        "--bootstrap-server", bootstrap, "describe", "--replication");
                if (r.exitCode() != 0 || r.out().size() != 3) {
                    return false;
                }
                String[] leader = r.out().get(1).trim().split("\\s*\t");
                String[] observer = r.out().get(2).trim().split("\\s*\t");
                return leader[0].equals("1") && leader[6].equals("Leader") && observer[0].equals("2")
                        && observer[3].equals("0") && observer[6].equals("Observer");
            } catch (Exception e) {
                return false;
            }
        });
        try (ImageProbe images = new ImageProbe()) {
            Waits.await("equal images on the controller and the broker-only node", Duration.ofSeconds(60), () -> {
                List<ImageProbe.Image> both = images.readAll(List.of(controller.pid(), broker.pid()));
                return both != null && both.get(0).digest().equals(both.get(1).digest())
                        && both.get(0).lastAppliedOffset() == both.get(1).lastAppliedOffset();
            });
        }

        broker.terminate(Duration.ofSeconds(60));
        assertTrue(broker.log().stream().anyMatch(l -> l.contains("Controlled shutdown of broker 2 done")),
                broker.log().toString());
        controller.terminate(Duration.ofSeconds(60));
    }
}
