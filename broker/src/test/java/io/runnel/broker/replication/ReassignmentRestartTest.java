package io.runnel.broker.replication;

import io.runnel.broker.replica.Partition;
import io.runnel.broker.testing.NodeCluster;
import io.runnel.broker.testing.QuorumBroker;
import io.runnel.metadata.image.PartitionRegistration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A partition reassignment (KIP-455) in progress survives restarts: of every node at once (it resumes from the
 * metadata log), and of the active controller and the partition leader while a replication throttle (KIP-73) holds
 * the adding replica back.
 */
@Timeout(240)
class ReassignmentRestartTest extends ReassignmentClusterTest {
    @Test
    void aMoveInProgressResumesFromTheMetadataLogAfterEveryNodeRestarts() throws Exception {
        cluster = NodeCluster.start(dir, 3, Map.of());
        int first;
        int second;
        int stopped;
        try (Admin admin = cluster.admin();
             KafkaProducer<String, String> producer = producer()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 2))).all().get();
            PartitionRegistration before = awaitIsrOfAllReplicas();
            first = before.replicas().get(0);
            second = before.replicas().get(1);
            stopped = 6 - first - second;
            for (int i = 0; i < 300; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "v" + i));
            }
            producer.flush();
            cluster.stopNode(stopped);
            admin.alterPartitionReassignments(Map.of(KTP, Optional.of(new NewPartitionReassignment(
                    List.of(second, stopped))))).all().get();
            QuorumBroker.await("broker " + stopped + " being added", () ->
                    registration().addingReplicas().equals(List.of(stopped)));
        }
        for (int id = 3; id >= 1; id--) {
            cluster.stopNode(id);
        }
        for (int id = 1; id <= 3; id++) {
            cluster.startNode(id);
        }
        for (int id = 1; id <= 3; id++) {
            cluster.awaitUnfenced(id);
        }
        QuorumBroker.await("the move completed after the restart", () -> {
            PartitionRegistration p = registration();
            return p != null && p.replicas().equals(List.of(second, stopped)) && !p.isReassigning();
        });
        QuorumBroker.await("broker " + first + " no longer hosts " + TP, () ->
                Replicas.replica(cluster, first, TP) == null && partitionDirs(first).isEmpty());
        QuorumBroker.await("broker " + stopped + " holds every record", () -> {
            Partition p = Replicas.replica(cluster, stopped, TP);
            return p != null && p.logEndOffset() == 300;
        });
        assertEquals(300, consumeFromBeginning(300).size());
    }

    @Test
    void aThrottledMoveSurvivesRestartsOfTheActiveControllerAndThePartitionLeader() throws Exception {
        cluster = NodeCluster.start(dir, 3, Map.of());
        try (Admin admin = cluster.admin();
             KafkaProducer<String, String> producer = producer()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 2))).all().get();
            PartitionRegistration before = awaitIsrOfAllReplicas();
            int removed = before.leader();
            int kept = before.replicas().stream().filter(id -> id != removed).findFirst().orElseThrow();
            int added = 6 - removed - kept;
            String big = "x".repeat(10_000); // 6 MB: more than the few 1 MiB fetches the throttle lets through
            for (int i = 0; i < 600; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, big));
            }
            producer.flush();
            ConfigResource brokers = new ConfigResource(ConfigResource.Type.BROKER, "");
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            admin.incrementalAlterConfigs(Map.of(
                    brokers, List.of(op("leader.replication.throttled.rate", "1"),
                            op("follower.replication.throttled.rate", "1")),
                    topic, List.of(op("leader.replication.throttled.replicas", "*"),
                            op("follower.replication.throttled.replicas", "0:" + added)))).all().get();
            admin.alterPartitionReassignments(Map.of(KTP, Optional.of(new NewPartitionReassignment(
                    List.of(kept, added))))).all().get();
            sleep(1_000);
            QuorumBroker.await("broker " + added + " being added, held back by the throttle", () ->
                    registration().addingReplicas().equals(List.of(added)));

            int controller = activeController();
            cluster.stopNode(controller);
            cluster.startNode(controller);
            cluster.awaitUnfenced(controller);
            QuorumBroker.await("a partition leader", () -> registration().leader() >= 0);
            int leader = registration().leader();
            cluster.stopNode(leader);
            cluster.startNode(leader);
            cluster.awaitUnfenced(leader);
            assertTrue(registration().isReassigning(), "still held back by the throttle");

            admin.incrementalAlterConfigs(Map.of(brokers, List.of(
                    new AlterConfigOp(new ConfigEntry("leader.replication.throttled.rate", ""),
                            AlterConfigOp.OpType.DELETE),
                    new AlterConfigOp(new ConfigEntry("follower.replication.throttled.rate", ""),
                            AlterConfigOp.OpType.DELETE)))).all().get();
            QuorumBroker.await("replicas " + List.of(kept, added), () -> {
                PartitionRegistration p = registration();
                return p != null && p.replicas().equals(List.of(kept, added)) && !p.isReassigning();
            });
            QuorumBroker.await("broker " + removed + " no longer hosts " + TP, () ->
                    Replicas.replica(cluster, removed, TP) == null && partitionDirs(removed).isEmpty());
            QuorumBroker.await("broker " + added + " holds every record", () -> {
                Partition p = Replicas.replica(cluster, added, TP);
                return p != null && p.logEndOffset() == 600;
            });
            assertEquals(600, consumeFromBeginning(600).size());
        }
    }

    @Test
    void aReplicaRemovedWhileItsBrokerIsDownIsDeletedWhenItReturns() throws Exception {
        cluster = NodeCluster.start(dir, 3, Map.of());
        try (Admin admin = cluster.admin();
             KafkaProducer<String, String> producer = producer()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 2))).all().get();
            PartitionRegistration before = awaitIsrOfAllReplicas();
            int down = before.replicas().get(0);
            int kept = before.replicas().get(1);
            int added = 6 - down - kept;
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "v" + i));
            }
            producer.flush();
            cluster.stopNode(down);
            admin.alterPartitionReassignments(Map.of(KTP, Optional.of(new NewPartitionReassignment(
                    List.of(kept, added))))).all().get();
            QuorumBroker.await("replicas " + List.of(kept, added), () -> {
                PartitionRegistration p = registration();
                return p != null && p.replicas().equals(List.of(kept, added)) && !p.isReassigning();
            });
            assertEquals(1, partitionDirs(down).size(), "the stopped broker's log is still on its disk");
            cluster.startNode(down);
            cluster.awaitUnfenced(down);
            QuorumBroker.await("the stray log of broker " + down + " deleted", () -> partitionDirs(down).isEmpty());
            assertEquals(100, consumeFromBeginning(100).size());
        }
    }

    private int activeController() {
        for (int id = 1; id <= cluster.size(); id++) {
            if (cluster.node(id) != null && cluster.node(id).controller().isLeaderReady()) {
                return id;
            }
        }
        throw new AssertionError("no active controller");
    }

    private static AlterConfigOp op(String key, String value) {
        return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
    }
}
