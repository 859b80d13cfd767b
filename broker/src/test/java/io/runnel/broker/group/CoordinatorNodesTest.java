package io.runnel.broker.group;

import io.runnel.broker.testing.RawClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coordinators on a three-node cluster in this JVM, and a node restart: every node names the same coordinator for a
 * group, the others answer NOT_COORDINATOR, a stopped coordinator's groups move to a live broker and go on there,
 * and committed offsets survive both a coordinator change and a restart.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CoordinatorNodesTest {
    @TempDir
    Path dir;
    private TestNodes nodes;

    @AfterEach
    void tearDown() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    private static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }

    private static int coordinatorAt(int port, String group) throws Exception {
        try (RawClient c = new RawClient(port)) {
            FindCoordinatorResponseData r = (FindCoordinatorResponseData) GroupWire.roundTrip(c,
                    ApiKeys.FIND_COORDINATOR, new FindCoordinatorRequestData().setKey(group), (short) 3);
            assertEquals(Errors.NONE.code(), r.errorCode());
            return r.nodeId();
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    }

    @Test
    void everyNodeNamesTheSameCoordinatorAndAStoppedCoordinatorsGroupMoves() throws Exception {
        nodes = TestNodes.start(dir, 3, Map.of("broker.session.timeout.ms", "4000"));
        String group = "movers";
        List<Integer> answers = new ArrayList<>();
        for (int id : List.of(1, 2, 3)) {
            answers.add(coordinatorAt(nodes.brokerPort(id), group));
        }
        assertEquals(1, new HashSet<>(answers).size(), "every node names the same coordinator: " + answers);
        int coordinator = answers.get(0);
        int other = coordinator == 1 ? 2 : 1;
        try (RawClient c = new RawClient(nodes.brokerPort(other))) {
            JoinGroupResponseData r = (JoinGroupResponseData) GroupWire.roundTrip(c, ApiKeys.JOIN_GROUP,
                    GroupWire.join(group, "", null, "t"), (short) 9);
            assertEquals(Errors.NOT_COORDINATOR.code(), r.errorCode());
            assertEquals(Errors.NOT_COORDINATOR.code(), GroupWire.heartbeat(c, group, 1, "m", null, (short) 4));
        }

        // a topic whose one partition is not on the coordinator, so it stays readable when the coordinator stops
        int survivor = other;
        String topic = null;
        try (Admin admin = admin(nodes.bootstrap())) {
            for (int i = 0; topic == null && i < 20; i++) {
                String name = "moving-" + i;
                admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                // the Admin may describe it on another broker than the one that created it: wait for every one
                TestNodes.await("topic " + name + " served by every broker", () -> nodes.runningIds().stream()
                        .allMatch(n -> nodes.node(n).servedImage().topicsByName().containsKey(name)));
                int leader = admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions().get(0)
                        .leader().id();
                if (leader != coordinator) {
                    topic = name;
                    survivor = leader;
                }
            }
        }
        assertTrue(topic != null, "a partition placed off the coordinator");
        String topicName = topic;
        int live = survivor;
        List<ConsumerThread.Ownership> log = new CopyOnWriteArrayList<>();
        ConsumerThread consumer = new ConsumerThread("127.0.0.1:" + nodes.brokerPort(live), group, topicName,
                "mover", Map.of(), log).committing().start();
        try (Admin admin = admin("127.0.0.1:" + nodes.brokerPort(live))) {
            produce(nodes.bootstrap(), topicName, 0, 100);
            TestNodes.await("100 records consumed and committed", () -> consumer.consumed().size() >= 100
                    && offset(admin, group, topicName) == 100);

            nodes.stopNode(coordinator);
            TestNodes.await("a new coordinator for " + group, () -> {
                try {
                    return coordinatorAt(nodes.brokerPort(live), group) != coordinator;
                } catch (Exception | AssertionError e) {
                    return false;
                }
            });
            assertEquals(100, offset(admin, group, topicName), "committed offsets intact after the move");
            produce("127.0.0.1:" + nodes.brokerPort(live), topicName, 100, 50);
            TestNodes.await("the consumer goes on with the new coordinator", () -> offset(admin, group, topicName)
                    == 150);
            Set<String> values = new HashSet<>();
            consumer.consumed().forEach(r -> values.add(r.value()));
            assertEquals(150, values.size(), "every record consumed, none skipped");
            assertNotEquals(coordinator, coordinatorAt(nodes.brokerPort(live), group));
        } finally {
            consumer.close();
        }
    }

    private static long offset(Admin admin, String group, String topic) {
        try {
            OffsetAndMetadata o = committed(admin, group).get(new TopicPartition(topic, 0));
            return o == null ? -1 : o.offset();
        } catch (Exception e) {
            return -2;
        }
    }

    private static void produce(String bootstrap, String topic, int from, int count) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(p)) {
            for (int i = from; i < from + count; i++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "v" + i)).get(30,
                        TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void committedOffsetsSurviveANodeRestart() throws Exception {
        nodes = TestNodes.start(dir, 1, Map.of());
        try (Admin admin = admin(nodes.bootstrap())) {
            admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(
                    new TopicPartition("kept", 0), new OffsetAndMetadata(7, java.util.Optional.of(0), "seven"),
                    new TopicPartition("kept", 1), new OffsetAndMetadata(9, "nine"));
            admin.alterConsumerGroupOffsets("keepers", offsets).all().get(30, TimeUnit.SECONDS);
            assertEquals(offsets, committed(admin, "keepers"));
        }
        nodes.stopNode(1);
        nodes.startNode(1);
        nodes.awaitUnfenced(List.of(1));
        try (Admin admin = admin(nodes.bootstrap())) {
            Map<TopicPartition, OffsetAndMetadata> after = committed(admin, "keepers");
            assertEquals(7, after.get(new TopicPartition("kept", 0)).offset());
            assertEquals("seven", after.get(new TopicPartition("kept", 0)).metadata());
            assertEquals(java.util.Optional.of(0), after.get(new TopicPartition("kept", 0)).leaderEpoch());
            assertEquals(9, after.get(new TopicPartition("kept", 1)).offset());
            assertEquals("nine", after.get(new TopicPartition("kept", 1)).metadata());
            assertEquals(List.of("keepers"), admin.listConsumerGroups().all().get().stream()
                    .map(l -> l.groupId()).toList());
        }
    }
}
