package io.runnel.broker.replication;

import io.runnel.broker.replica.Partition;
import io.runnel.broker.testing.NodeCluster;
import io.runnel.broker.testing.QuorumBroker;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Partition reassignment (KIP-455) driven by a real kafka-clients Admin: a replica moves from the leader to the third
 * broker while acks=all producers keep writing; the new replica holds every record, the removed one's log directory
 * is gone, nothing is listed as reassigning, a broker added back starts from an empty log; a move towards a stopped
 * broker can be cancelled; Kafka's errors.
 */
@Timeout(240)
class ReassignmentTest extends ReassignmentClusterTest {
    @Test
    void movingAReplicaCopiesEveryRecordAndDeletesTheOldLog() throws Exception {
        cluster = NodeCluster.start(dir, 3, Map.of());
        try (Admin admin = cluster.admin();
             KafkaProducer<String, String> producer = producer()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 2))).all().get();
            PartitionRegistration before = awaitIsrOfAllReplicas();
            int removed = before.leader();
            int kept = before.replicas().stream().filter(id -> id != removed).findFirst().orElseThrow();
            int added = 6 - removed - kept;
            for (int i = 0; i < 500; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "v" + i));
            }
            producer.flush();

            Set<String> acked = new HashSet<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                for (int i = 500; writing.get(); i++) {
                    String value = "v" + i;
                    producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, value), (md, e) -> {
                        if (e == null) {
                            synchronized (acked) {
                                acked.add(value);
                            }
                        }
                    });
                    sleep(2);
                }
            }, "during-the-move");
            writer.start();
            sleep(200);
            admin.alterPartitionReassignments(Map.of(KTP, Optional.of(new NewPartitionReassignment(
                    List.of(kept, added))))).all().get();
            QuorumBroker.await("replicas " + List.of(kept, added) + " in every image", () ->
                    IntStream.rangeClosed(1, 3).allMatch(id -> {
                        PartitionRegistration p = cluster.image(id).topicsByName().get(TOPIC).partition(0);
                        return p.replicas().equals(List.of(kept, added)) && !p.isReassigning();
                    }));
            sleep(300);
            writing.set(false);
            writer.join();
            producer.flush();
            assertTrue(!acked.isEmpty(), "records were written during the move");

            assertEquals(kept, registration().leader(), "the first target replica in the ISR leads");
            QuorumBroker.await("broker " + removed + " no longer hosts " + TP, () ->
                    Replicas.replica(cluster, removed, TP) == null && partitionDirs(removed).isEmpty());
            Partition leader = Replicas.replica(cluster, kept, TP);
            QuorumBroker.await("broker " + added + " caught up", () -> {
                Partition p = Replicas.replica(cluster, added, TP);
                return p != null && p.logEndOffset() == leader.logEndOffset()
                        && p.highWatermark() == leader.highWatermark();
            });
            assertTrue(admin.listPartitionReassignments().reassignments().get().isEmpty());
            assertEquals(List.of(kept, added), admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC)
                    .partitions().get(0).replicas().stream().map(n -> n.id()).toList());

            // the removed broker comes back: it starts from an empty log and copies everything again
            admin.alterPartitionReassignments(Map.of(KTP, Optional.of(new NewPartitionReassignment(
                    List.of(kept, added, removed))))).all().get();
            QuorumBroker.await("broker " + removed + " back in the ISR", () -> {
                PartitionRegistration p = registration();
                return p.isr().contains(removed) && !p.isReassigning();
            });
            QuorumBroker.await("broker " + removed + " caught up again", () -> {
                Partition p = Replicas.replica(cluster, removed, TP);
                return p != null && p.logEndOffset() == leader.logEndOffset();
            });

            // with the kept broker gone, the added one (or the re-added one) leads and serves every record
            long expected = 500 + acked.size();
            cluster.stopNode(kept);
            QuorumBroker.await("a new leader", () -> {
                PartitionRegistration p = registration();
                return p != null && p.leader() != kept && p.leader() >= 0;
            });
            List<ConsumerRecord<String, String>> records = consumeFromBeginning(expected);
            assertEquals(expected, records.size());
            Set<String> values = new HashSet<>();
            records.forEach(r -> values.add(r.value()));
            for (int i = 0; i < 500; i++) {
                assertTrue(values.contains("v" + i), "v" + i);
            }
            assertTrue(values.containsAll(acked), "every record acknowledged during the move is readable");
        }
    }

    @Test
    void aMoveTowardsAStoppedBrokerCanBeCancelled() throws Exception {
        cluster = NodeCluster.start(dir, 3, Map.of());
        try (Admin admin = cluster.admin();
             KafkaProducer<String, String> producer = producer()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 2))).all().get();
            PartitionRegistration before = awaitIsrOfAllReplicas();
            int first = before.replicas().get(0);
            int second = before.replicas().get(1);
            int stopped = 6 - first - second;
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "v" + i));
            }
            producer.flush();
            ExecutionException none = assertThrows(ExecutionException.class, () -> admin
                    .alterPartitionReassignments(Map.of(KTP, Optional.empty())).all().get());
            assertInstanceOf(NoReassignmentInProgressException.class, none.getCause());

            assertErrorCause(InvalidReplicaAssignmentException.class, () -> admin.alterPartitionReassignments(
                    Map.of(KTP, Optional.of(new NewPartitionReassignment(List.of(first, 9))))).all().get());
            assertErrorCause(InvalidReplicaAssignmentException.class, () -> admin.alterPartitionReassignments(
                    Map.of(KTP, Optional.of(new NewPartitionReassignment(List.of(first, first))))).all().get());
            assertErrorCause(UnknownTopicOrPartitionException.class, () -> admin.alterPartitionReassignments(
                    Map.of(new org.apache.kafka.common.TopicPartition(TOPIC, 7), Optional.of(
                            new NewPartitionReassignment(List.of(first))))).all().get());
            assertTrue(admin.listPartitionReassignments().reassignments().get().isEmpty());

            cluster.stopNode(stopped);
            admin.alterPartitionReassignments(Map.of(KTP, Optional.of(new NewPartitionReassignment(
                    List.of(second, stopped))))).all().get();
            QuorumBroker.await("the move in every image", () -> IntStream.rangeClosed(1, 3).allMatch(id ->
                    cluster.node(id) == null || cluster.image(id).topicsByName().get(TOPIC).partition(0)
                            .isReassigning()));
            Map<org.apache.kafka.common.TopicPartition, PartitionReassignment> ongoing =
                    admin.listPartitionReassignments().reassignments().get();
            assertEquals(List.of(second, stopped, first), ongoing.get(KTP).replicas());
            assertEquals(List.of(stopped), ongoing.get(KTP).addingReplicas());
            assertEquals(List.of(first), ongoing.get(KTP).removingReplicas());
            assertEquals(ongoing.toString(), admin.listPartitionReassignments(Set.of(KTP)).reassignments().get()
                    .toString());
            for (int i = 100; i < 200; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "v" + i));
            }
            producer.flush();

            admin.alterPartitionReassignments(Map.of(KTP, Optional.empty())).all().get();
            QuorumBroker.await("the cancel in every image", () -> IntStream.rangeClosed(1, 3).allMatch(id ->
                    cluster.node(id) == null || !cluster.image(id).topicsByName().get(TOPIC).partition(0)
                            .isReassigning()));
            PartitionRegistration after = registration();
            assertEquals(Set.of(first, second), Set.copyOf(after.replicas()));
            assertEquals(Set.of(first, second), Set.copyOf(after.isr()));
            assertTrue(!after.isReassigning());
            assertTrue(admin.listPartitionReassignments().reassignments().get().isEmpty());

            cluster.startNode(stopped);
            cluster.awaitUnfenced(stopped);
            assertNull(Replicas.replica(cluster, stopped, TP));
            assertTrue(partitionDirs(stopped).isEmpty());
            assertEquals(200, consumeFromBeginning(200).size());
        }
    }

    private static void assertErrorCause(Class<? extends Throwable> type,
                                         org.junit.jupiter.api.function.Executable call) {
        ExecutionException e = assertThrows(ExecutionException.class, call);
        assertInstanceOf(type, e.getCause());
    }
}
