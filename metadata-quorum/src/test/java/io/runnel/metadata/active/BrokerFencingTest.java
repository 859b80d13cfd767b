package io.runnel.metadata.active;

import static io.runnel.metadata.quorum.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.controller.CreatableTopic;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.rpc.AlterPartitionRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3 acceptance for broker liveness: a broker that stops heartbeating is fenced within
 * broker.session.timeout.ms + 2 s and its partitions get new leaders from their ISR; it is unfenced when it resumes;
 * preferred-leader election gives leadership back; controlled shutdown moves leadership away and fences.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BrokerFencingTest {
    private static final long SESSION_TIMEOUT_MS = 1500;

    @TempDir
    Path dir;
    private TestCluster cluster;

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    private MetadataImage image() {
        return cluster.node(0).stateMachine().image();
    }

    @Test
    void silentBrokerIsFencedItsPartitionsMoveWithinTheIsrAndItComesBack() throws Exception {
        cluster = TestCluster.start(dir, 1, Map.of("broker.session.timeout.ms", String.valueOf(SESSION_TIMEOUT_MS),
                "broker.heartbeat.interval.ms", "200", "leader.imbalance.check.interval.seconds", "1"));
        cluster.awaitActive();
        ControllerClient client = cluster.client(Duration.ofSeconds(10));
        List<SimulatedBroker> brokers = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            brokers.add(cluster.closeLater(new SimulatedBroker(id, client,
                    () -> image().provenance().index()).start(200)));
        }
        await("brokers unfenced", TestCluster.WAIT,
                () -> image().brokers().values().stream().noneMatch(b -> b.fenced()));
        client.createTopics(List.of(CreatableTopic.of("t", 6, 3)), false).get(10, TimeUnit.SECONDS);
        TopicImage before = image().topicsByName().get("t");
        SimulatedBroker victim = brokers.get(1);
        Map<Integer, PartitionRegistration> led = new HashMap<>();
        before.partitions().forEach((id, p) -> {
            if (p.leader() == victim.id) {
                led.put(id, p);
            }
        });
        assertFalse(led.isEmpty(), "placement spreads leaders: broker 2 leads some partitions");

        victim.pause();
        await("broker 2 fenced within the session timeout + 2 s", Duration.ofMillis(SESSION_TIMEOUT_MS + 2000),
                () -> image().brokers().get(victim.id).fenced());
        TopicImage after = image().topicsByName().get("t");
        after.partitions().forEach((id, p) -> {
            assertTrue(p.leader() != victim.id && p.isr().contains(p.leader()), id + ": " + p);
            assertFalse(p.isr().contains(victim.id), id + ": " + p);
        });
        led.forEach((id, old) -> {
            PartitionRegistration now = after.partition(id);
            assertTrue(old.isr().contains(now.leader()), "new leader from the old ISR: " + now);
            assertEquals(old.leaderEpoch() + 1, now.leaderEpoch());
        });

        victim.resume();
        await("broker 2 unfenced after resuming", TestCluster.WAIT,
                () -> !image().brokers().get(victim.id).fenced());

        // the leaders take it back into their ISRs; preferred-leader election then returns its leadership
        for (Map.Entry<Integer, PartitionRegistration> e : image().topicsByName().get("t").partitions().entrySet()) {
            PartitionRegistration p = e.getValue();
            List<Integer> isr = new ArrayList<>(p.isr());
            isr.add(victim.id);
            var r = client.alterPartition(AlterPartitionRequest.newBuilder().setBrokerId(p.leader())
                    .setBrokerEpoch(brokers.get(p.leader() - 1).epoch)
                    .addPartitions(AlterPartitionRequest.Partition.newBuilder().setTopicId(Uuids.toProto(after.id()))
                            .setPartition(e.getKey()).setLeaderEpoch(p.leaderEpoch())
                            .setPartitionEpoch(p.partitionEpoch()).addAllNewIsr(isr)).build())
                    .get(10, TimeUnit.SECONDS);
            assertEquals(0, r.getPartitions(0).getErrorCode(), r.toString());
        }
        await("preferred leaders restored", TestCluster.WAIT, () -> image().topicsByName().get("t").partitions()
                .values().stream().allMatch(p -> p.leader() == p.replicas().get(0)));

        // controlled shutdown: leadership moves away and the broker leaves every ISR in the batch that fences it
        SimulatedBroker leaving = brokers.get(2);
        client.controlledShutdown(leaving.id, leaving.epoch).get(10, TimeUnit.SECONDS);
        MetadataImage shut = image();
        assertTrue(shut.brokers().get(leaving.id).fenced());
        shut.topicsByName().get("t").partitions().values().forEach(p -> {
            assertTrue(p.leader() != leaving.id && !p.isr().contains(leaving.id), p.toString());
        });
        // its heartbeats do not unfence it again
        leaving.last = null;
        await("a heartbeat after the shutdown", TestCluster.WAIT, () -> leaving.last != null);
        assertTrue(leaving.last.getIsFenced());
        assertTrue(image().brokers().get(leaving.id).fenced());
    }
}
