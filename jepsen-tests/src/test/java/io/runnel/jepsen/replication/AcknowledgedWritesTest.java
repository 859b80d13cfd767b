package io.runnel.jepsen.replication;

import io.runnel.jepsen.NodeProcess;
import io.runnel.jepsen.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Issue 5's durability acceptance with real processes: on three combined nodes, a topic with 3 partitions,
 * replication factor 3 and {@code min.insync.replicas=2}; an idempotent acks=all producer sends numbered records
 * (at least 50,000, and on until both faults are over) while the test takes out the leader of partition 0, brings it
 * back 5 s later (or after a 10 s SIGSTOP), and does it again to the new leader. Afterwards every acknowledged
 * record is read exactly once, at the offset the producer was told, in order per partition.
 */
@Timeout(300)
class AcknowledgedWritesTest {
    private static final String TOPIC = "acked";
    private static final int RECORDS = 50_000;
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
    void killingTheLeaderTwiceLosesNoAcknowledgedRecord() throws Exception {
        run(true);
    }

    @Test
    void pausingTheLeaderTwiceLosesNoAcknowledgedRecord() throws Exception {
        run(false);
    }

    private void run(boolean kill) throws Exception {
        cluster = new ReplicatedCluster(dir, Map.of("broker.session.timeout.ms", "3000",
                "replica.lag.time.max.ms", "5000", "leader.imbalance.check.interval.seconds", "5"));
        cluster.createTopic(TOPIC, 3, Map.of("min.insync.replicas", "2"));
        ProduceHistory history = new ProduceHistory(cluster.bootstrap(), TOPIC, RECORDS, 4_000);
        history.start();
        Waits.await("2,000 acknowledged records", Duration.ofSeconds(60), () -> history.acknowledged() >= 2_000);
        for (int round = 0; round < 2; round++) {
            // in round 2, the node faulted in round 1 may still answer from the image it had before: ask only when
            // every node serves the same one, so the fault hits the leader of now
            cluster.awaitSameServedImage();
            int leader = Waits.awaitValue("a leader of partition 0", Duration.ofSeconds(30), () -> {
                int l = cluster.leader(TOPIC, 0);
                return l > 0 ? l : null;
            });
            NodeProcess node = cluster.node(leader);
            long outage = System.nanoTime();
            if (kill) {
                node.kill9();
            } else {
                node.pause();
            }
            Waits.await("partition 0 led by a broker other than " + leader, Duration.ofSeconds(30), () -> {
                int l = cluster.leader(TOPIC, 0);
                return l > 0 && l != leader;
            });
            long left = (kill ? 5_000 : 10_000) - (System.nanoTime() - outage) / 1_000_000;
            Thread.sleep(Math.max(0, left));
            if (kill) {
                cluster.restart(leader);
            } else {
                node.resume();
            }
            int before = history.acknowledged();
            Waits.await("acknowledgements after the fault", Duration.ofSeconds(60),
                    () -> history.acknowledged() > before + 500);
        }
        history.finish(Duration.ofSeconds(180));
        System.out.println("history: " + history.check(3));
    }
}
