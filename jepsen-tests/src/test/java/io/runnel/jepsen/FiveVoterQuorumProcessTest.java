package io.runnel.jepsen;

import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.controller.CreatableTopic;
import io.runnel.metadata.errors.ControllerApiException;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.quorum.MetaProperties;
import io.runnel.metadata.quorum.QuorumConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 3's majority rule with five real processes (combined broker+controller nodes): with two voters killed by
 * {@code kill -9} (the leader among them) topics are still created; with three killed a write fails with a clear
 * error within the request timeout instead of hanging, through Admin, through the controller client brokers use, and
 * through {@code bin/runnel topics --create}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FiveVoterQuorumProcessTest {
    /** The brokers' controller request timeout ({@code request.timeout.ms}). */
    private static final long CONTROLLER_TIMEOUT_MS = 5000;
    /** Admin's {@code default.api.timeout.ms} in this test. */
    private static final long ADMIN_TIMEOUT_MS = 12_000;
    @TempDir
    Path dir;
    private ProcessCluster cluster;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static boolean create(Admin admin, String topic) {
        try {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            return e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void twoKilledVotersLeaveAWorkingQuorumAndThreeKilledGiveAClearErrorInTime() throws Exception {
        cluster = new ProcessCluster(dir, 5, true, Map.of("request.timeout.ms", String.valueOf(CONTROLLER_TIMEOUT_MS)));
        cluster.startAll();
        for (NodeProcess n : cluster.nodes()) {
            n.awaitLog("Listening on PLAINTEXT", Duration.ofSeconds(120));
        }
        try (QuorumProbe probe = new QuorumProbe(cluster.voters(), dir.resolve("data/node-1"))) {
            int leader = Waits.awaitValue("a leader", Duration.ofSeconds(60), probe::leader).nodeId();
            // Admin talks to a node that stays up; kill the leader and one more first, then a third
            int survivor = leader == 1 ? 2 : 1;
            List<Integer> others = new ArrayList<>();
            for (int id = 1; id <= 5; id++) {
                if (id != leader && id != survivor) {
                    others.add(id);
                }
            }
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrap(survivor),
                    "request.timeout.ms", "10000", "default.api.timeout.ms", String.valueOf(ADMIN_TIMEOUT_MS)))) {
                Waits.await("a topic created with five voters", Duration.ofSeconds(60), () -> create(admin, "five"));

                cluster.node(leader).kill9();
                cluster.node(others.get(0)).kill9();
                for (int i = 0; i < 3; i++) {
                    String topic = "three-left-" + i;
                    Waits.await("topic " + topic + " created with two voters killed", Duration.ofSeconds(60),
                            () -> create(admin, topic));
                }

                cluster.node(others.get(1)).kill9();
                long start = System.nanoTime();
                ExecutionException e = assertThrows(ExecutionException.class, () -> admin.createTopics(List.of(
                        new NewTopic("two-left", 1, (short) 1))).all().get(ADMIN_TIMEOUT_MS + 30_000,
                        TimeUnit.MILLISECONDS));
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertInstanceOf(org.apache.kafka.common.errors.TimeoutException.class, e.getCause(),
                        e.getCause().toString());
                assertTrue(tookMs <= ADMIN_TIMEOUT_MS + 3000, "Admin gave up after " + tookMs + " ms");
            }

            // the controller client every broker uses: a Kafka error code and a message naming the controller
            String clusterId = MetaProperties.read(dir.resolve("data/node-1")).clusterId();
            try (ControllerClient client = ControllerClient.create(clusterId,
                    QuorumConfig.parseVoters(cluster.voters()), Duration.ofMillis(CONTROLLER_TIMEOUT_MS))) {
                long start = System.nanoTime();
                ExecutionException e = assertThrows(ExecutionException.class, () -> client.createTopics(
                        List.of(CreatableTopic.of("two-left", 1, 1)), false).get(60, TimeUnit.SECONDS));
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                ControllerApiException c = assertInstanceOf(ControllerApiException.class, e.getCause());
                assertTrue(c.error().error() == ErrorCode.NOT_CONTROLLER
                        || c.error().error() == ErrorCode.REQUEST_TIMED_OUT, c.toString());
                assertTrue(c.getMessage().contains("controller"), c.getMessage());
                assertTrue(tookMs <= CONTROLLER_TIMEOUT_MS + 2000, "failed after " + tookMs + " ms");
            }

            // and an operator's command: one line, exit 1, bounded by its Admin timeouts
            Path config = dir.resolve("admin.properties");
            Files.writeString(config, "default.api.timeout.ms=8000\nrequest.timeout.ms=6000\n");
            RunnelCli.Result r = RunnelCli.run(dir, Duration.ofSeconds(90), "topics", "--bootstrap-server",
                    cluster.bootstrap(survivor), "--create", "--topic", "two-left", "--command-config",
                    config.toString());
            assertEquals(1, r.exitCode(), r.toString());
            assertEquals(1, r.err().size(), r.err().toString());
            assertTrue(r.err().get(0).startsWith("runnel: timed out talking to the broker at "), r.err().get(0));
        }
    }
}
