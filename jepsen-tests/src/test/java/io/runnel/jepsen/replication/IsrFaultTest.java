package io.runnel.jepsen.replication;

import io.runnel.jepsen.NodeProcess;
import io.runnel.jepsen.RunnelCli;
import io.runnel.jepsen.Waits;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5's ISR acceptance with real processes: a SIGSTOPped follower leaves the ISR within {@code
 * replica.lag.time.max.ms} + 5 s and rejoins after SIGCONT once caught up; with two of three replicas stopped, acks=all
 * produces fail with NOT_ENOUGH_REPLICAS and no consumer sees anything written meanwhile. The session timeout is set
 * far above the lag time, so the ISR changes come from the leader's lag rule, not from fencing.
 */
@Timeout(240)
class IsrFaultTest {
    private static final String TOPIC = "isr";
    private static final long LAG_MS = 3_000;
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private ReplicatedCluster cluster;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void stoppedFollowersLeaveTheIsrAndAcksAllRefusesWithoutEnoughReplicas() throws Exception {
        cluster = new ReplicatedCluster(dir, Map.of("broker.session.timeout.ms", "60000",
                "replica.lag.time.max.ms", String.valueOf(LAG_MS), "auto.leader.rebalance.enable", "false"));
        cluster.createTopic(TOPIC, 1, Map.of("min.insync.replicas", "2"));
        int leader = cluster.leader(TOPIC, 0);
        // the follower stopped first is not the active controller: this test is about the ISR rule alone (a stopped
        // controller as well is AcknowledgedWritesTest's double fault)
        int controller = Waits.awaitValue("the active controller", Duration.ofSeconds(30), () -> {
            int c = cluster.activeController();
            return c > 0 ? c : null;
        });
        int first = leader % 3 + 1 == controller ? controller % 3 + 1 : leader % 3 + 1;
        int second = 6 - leader - first;
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:"
                        + cluster.brokerPort(leader), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.RETRIES_CONFIG, 0,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            send(producer, "before");

            NodeProcess stopped = cluster.node(first);
            stopped.pause();
            Duration shrink = Waits.await("broker " + first + " out of the ISR", Duration.ofMillis(LAG_MS + 5_000),
                    () -> isrWithout(first));
            System.out.println("ISR shrank " + shrink.toMillis() + " ms after SIGSTOP");
            send(producer, "with-two");
            RunnelCli.Result under = RunnelCli.run(dir, Duration.ofSeconds(60), "topics", "--bootstrap-server",
                    "127.0.0.1:" + cluster.brokerPort(leader),
                    "--describe", "--under-replicated-partitions");
            assertEquals(0, under.exitCode(), String.join("\n", under.err()));
            assertTrue(String.join("\n", under.out()).contains("Topic: " + TOPIC + "\tPartition: 0\tLeader: " + leader),
                    String.join("\n", under.out()));
            stopped.resume();
            // until it has replayed the metadata log, the resumed broker answers with the ISR it had before the shrink
            cluster.awaitSameServedImage();
            Waits.await("broker " + first + " back in the ISR", Duration.ofSeconds(30),
                    () -> List.of(1, 2, 3).equals(cluster.isr(TOPIC, 0)));
            RunnelCli.Result none = RunnelCli.run(dir, Duration.ofSeconds(60), "topics", "--bootstrap-server",
                    cluster.bootstrap(), "--describe",
                    "--under-replicated-partitions");
            assertEquals(List.of(), none.out(), "no under-replicated partition once the ISR is full");

            long endBefore = cluster.highWatermark(TOPIC, 0);
            cluster.node(first).pause();
            cluster.node(second).pause();
            Thread.sleep(LAG_MS + 1_000);
            for (int i = 0; i < 3; i++) {
                ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> producer.send(new ProducerRecord<>(TOPIC, "refused")).get(15, TimeUnit.SECONDS));
                assertInstanceOf(NotEnoughReplicasException.class, e.getCause());
            }
            assertEquals(endBefore, cluster.highWatermark(TOPIC, 0),
                    "nothing became visible while two replicas were stopped");
            cluster.node(first).resume();
            cluster.node(second).resume();
            cluster.awaitSameServedImage();
            Waits.await("a full ISR again", Duration.ofSeconds(30),
                    () -> List.of(1, 2, 3).equals(cluster.isr(TOPIC, 0)));
            send(producer, "after");
        }
        List<String> values = cluster.readValues(TOPIC, 0);
        assertEquals(List.of("before", "with-two", "after"), values, "the refused records were never written");
    }

    private boolean isrWithout(int broker) {
        List<Integer> isr = cluster.isr(TOPIC, 0);
        return isr != null && !isr.contains(broker);
    }

    private static void send(KafkaProducer<String, String> producer, String value) throws Exception {
        producer.send(new ProducerRecord<>(TOPIC, value)).get(30, TimeUnit.SECONDS);
    }
}
