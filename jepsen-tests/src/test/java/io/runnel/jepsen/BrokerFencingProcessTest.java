package io.runnel.jepsen;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broker fencing with real processes: one controller and three broker-only nodes (each following the metadata log by
 * fetching it). A SIGSTOPped broker is fenced within {@code broker.session.timeout.ms} + 2 s (timed on the
 * controller's image, read over JMX as {@code FencedBrokerIds}); clients then see it gone from Admin's describeCluster
 * (unfenced brokers only) and the partitions it led with new leaders from their ISR (Admin describeTopics); after
 * SIGCONT it catches up and is unfenced again.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BrokerFencingProcessTest {
    private static final long SESSION_TIMEOUT_MS = 3000;
    @TempDir
    Path dir;
    private ProcessCluster cluster;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Set<Integer> unfenced(Admin admin) {
        try {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream().map(Node::id)
                    .collect(Collectors.toSet());
        } catch (Exception e) {
            return null;
        }
    }

    private static Map<Integer, TopicPartitionInfo> partitions(Admin admin, String topic) {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS)
                    .get(topic);
            Map<Integer, TopicPartitionInfo> out = new HashMap<>();
            d.partitions().forEach(p -> out.put(p.partition(), p));
            return out;
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void aStoppedBrokerIsFencedItsPartitionsMoveWithinTheIsrAndItReturnsAfterSigcont() throws Exception {
        cluster = ProcessCluster.split(dir, 1, 3, Map.of("broker.session.timeout.ms",
                String.valueOf(SESSION_TIMEOUT_MS), "broker.heartbeat.interval.ms", "500"));
        cluster.startAll();
        cluster.node(1).awaitLog("Listening on CONTROLLER", Duration.ofSeconds(90));
        for (int id = 2; id <= 4; id++) {
            cluster.node(id).awaitLog("Listening on PLAINTEXT", Duration.ofSeconds(90));
        }
        try (ImageProbe images = new ImageProbe();
             Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrap(2, 3, 4),
                     "request.timeout.ms", "1000", "default.api.timeout.ms", "5000"))) {
            Waits.await("three unfenced brokers", Duration.ofSeconds(60), () -> Set.of(2, 3, 4).equals(
                    unfenced(admin)));
            admin.createTopics(List.of(new NewTopic("fenced", 6, (short) 3))).all().get(60, TimeUnit.SECONDS);
            Map<Integer, TopicPartitionInfo> before = Waits.awaitValue("the topic's partitions with leaders",
                    Duration.ofSeconds(30), () -> {
                        Map<Integer, TopicPartitionInfo> p = partitions(admin, "fenced");
                        return p != null && p.size() == 6 && p.values().stream().allMatch(i -> i.leader() != null
                                && i.leader().id() >= 0) ? p : null;
                    });
            int victim = before.get(0).leader().id();
            Map<Integer, Set<Integer>> ledIsr = new HashMap<>();
            before.forEach((id, p) -> {
                if (p.leader().id() == victim) {
                    ledIsr.put(id, p.isr().stream().map(Node::id).collect(Collectors.toSet()));
                }
            });
            assertFalse(ledIsr.isEmpty());

            NodeProcess stopped = cluster.node(victim);
            long controllerPid = cluster.node(1).pid();
            assertFalse(images.read(controllerPid).fencedBrokers().contains(victim));
            stopped.pause();
            long stoppedAt = System.nanoTime();
            // when the controller's image fences it, read over JMX from the (running) controller process
            Duration fencedWithin = Duration.ofMillis(SESSION_TIMEOUT_MS + 2000);
            Waits.await("broker " + victim + " fenced in the controller's image within " + fencedWithin,
                    fencedWithin, () -> {
                        try {
                            return images.read(controllerPid).fencedBrokers().contains(victim);
                        } catch (Exception e) {
                            return false;
                        }
                    });
            // the last heartbeat arrived at most one interval (500 ms) plus one heartbeat timeout (1 s) before the stop
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
            assertTrue(tookMs >= SESSION_TIMEOUT_MS - 1500, "fenced after only " + tookMs + " ms");

            // what clients see (Admin may first try the stopped broker, so allow it its request timeouts)
            Map<Integer, TopicPartitionInfo> after = Waits.awaitValue("Admin to show broker " + victim + " gone and "
                    + "partitions " + ledIsr.keySet() + " led by others", Duration.ofSeconds(30), () -> {
                        Set<Integer> live = unfenced(admin);
                        if (live == null || live.contains(victim)) {
                            return null;
                        }
                        Map<Integer, TopicPartitionInfo> p = partitions(admin, "fenced");
                        return p != null && ledIsr.keySet().stream().allMatch(id -> p.get(id).leader() != null
                                && p.get(id).leader().id() != victim) ? p : null;
                    });
            ledIsr.forEach((id, isr) -> {
                int leader = after.get(id).leader().id();
                assertTrue(isr.contains(leader), "partition " + id + ": new leader " + leader + " from ISR " + isr);
                assertNotEquals(victim, leader);
            });

            stopped.resume();
            Waits.await("broker " + victim + " unfenced after SIGCONT", Duration.ofSeconds(60), () -> {
                try {
                    return !images.read(controllerPid).fencedBrokers().contains(victim);
                } catch (Exception e) {
                    return false;
                }
            });
            Waits.await("Admin to list broker " + victim + " again", Duration.ofSeconds(30), () -> {
                Set<Integer> live = unfenced(admin);
                return live != null && live.contains(victim);
            });
            assertTrue(stopped.isAlive());
        }
    }
}
