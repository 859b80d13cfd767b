package io.runnel.broker.group;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.consumer.StickyAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Consumer groups with real kafka-clients consumers against one Runnel node (broker and controller) on loopback:
 * partitions spread over members, move when a member joins or dies, never owned twice in one generation, for every
 * client-side assignor; committed offsets read back through the consumer and Admin.
 */
class ConsumerGroupTest {
    @TempDir
    static Path dir;
    private static TestNodes nodes;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        nodes = TestNodes.start(dir, 1, Map.of());
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, nodes.bootstrap());
        admin = Admin.create(p);
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (nodes != null) {
            nodes.close();
        }
    }

    private static void createTopic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    private static void produce(String topic, int count) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, nodes.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    /** Sorted partition counts of the members, e.g. [1, 1, 2]. */
    private static List<Integer> spread(List<ConsumerThread> members) {
        return members.stream().map(m -> m.partitions().size()).sorted().toList();
    }

    /** Every partition 0..n-1 owned by exactly one of the members. */
    private static boolean coversExactlyOnce(List<ConsumerThread> members, int n) {
        List<Integer> all = new ArrayList<>();
        members.forEach(m -> all.addAll(m.partitions()));
        return all.size() == n && new HashSet<>(all).size() == n;
    }

    private static void assertNoPartitionOwnedTwiceInAGeneration(List<ConsumerThread.Ownership> log) {
        Map<Integer, Map<TopicPartition, String>> owners = new HashMap<>();
        for (ConsumerThread.Ownership o : log) {
            Map<TopicPartition, String> gen = owners.computeIfAbsent(o.generation(), g -> new HashMap<>());
            for (TopicPartition tp : o.partitions()) {
                String previous = gen.putIfAbsent(tp, o.memberId());
                assertTrue(previous == null || previous.equals(o.memberId()), tp + " owned by " + previous
                        + " and " + o.memberId() + " in generation " + o.generation() + ": " + log);
            }
        }
    }

    @Test
    void twoConsumersSplitFourPartitionsAThirdJoinsAndAKilledOnesPartitionsMove() throws Exception {
        createTopic("spread", 4);
        List<ConsumerThread.Ownership> log = new CopyOnWriteArrayList<>();
        List<ConsumerThread> members = new ArrayList<>();
        try {
            members.add(new ConsumerThread(nodes.bootstrap(), "g", "spread", "c1", Map.of(), log).start());
            members.add(new ConsumerThread(nodes.bootstrap(), "g", "spread", "c2", Map.of(), log).start());
            TestNodes.await("two members with two partitions each", () -> spread(members).equals(List.of(2, 2))
                    && coversExactlyOnce(members, 4));

            members.add(new ConsumerThread(nodes.bootstrap(), "g", "spread", "c3", Map.of(), log).start());
            TestNodes.await("three members with 2/1/1 partitions", () -> spread(members).equals(List.of(1, 1, 2))
                    && coversExactlyOnce(members, 4));

            ConsumerGroupDescription described = admin.describeConsumerGroups(List.of("g")).all().get().get("g");
            assertEquals(GroupState.STABLE, described.groupState());
            assertEquals(3, described.members().size());
            assertEquals("range", described.partitionAssignor());

            ConsumerThread victim = members.get(0);
            long killedAt = System.nanoTime();
            victim.crash();
            List<ConsumerThread> survivors = members.subList(1, 3);
            TestNodes.await("the killed member's partitions moved", () -> spread(survivors).equals(List.of(2, 2))
                    && coversExactlyOnce(survivors, 4));
            long movedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            assertTrue(movedMs <= 6000 + 5000, "partitions moved after " + movedMs + " ms");
            assertNoPartitionOwnedTwiceInAGeneration(log);
        } finally {
            for (ConsumerThread m : members) {
                m.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"range", "roundrobin", "sticky", "cooperative-sticky"})
    void everyClientSideAssignorWorksBecauseTheLeaderAssigns(String assignor) throws Exception {
        String topic = "assign-" + assignor;
        createTopic(topic, 4);
        Map<String, Object> config = Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                switch (assignor) {
                    case "range" -> RangeAssignor.class.getName();
                    case "roundrobin" -> RoundRobinAssignor.class.getName();
                    case "sticky" -> StickyAssignor.class.getName();
                    default -> CooperativeStickyAssignor.class.getName();
                });
        List<ConsumerThread.Ownership> log = new CopyOnWriteArrayList<>();
        List<ConsumerThread> members = new ArrayList<>();
        String group = "group-" + assignor;
        try {
            members.add(new ConsumerThread(nodes.bootstrap(), group, topic, "a1", config, log).start());
            members.add(new ConsumerThread(nodes.bootstrap(), group, topic, "a2", config, log).start());
            TestNodes.await(assignor + ": 2/2", () -> spread(members).equals(List.of(2, 2))
                    && coversExactlyOnce(members, 4));
            members.add(new ConsumerThread(nodes.bootstrap(), group, topic, "a3", config, log).start());
            TestNodes.await(assignor + ": 2/1/1", () -> spread(members).equals(List.of(1, 1, 2))
                    && coversExactlyOnce(members, 4));
            members.remove(0).close(); // leaves at once (LeaveGroup)
            TestNodes.await(assignor + ": 2/2 after a member left", () -> spread(members).equals(List.of(2, 2))
                    && coversExactlyOnce(members, 4));
            assertEquals(assignor, admin.describeConsumerGroups(List.of(group)).all().get().get(group)
                    .partitionAssignor());
            assertNoPartitionOwnedTwiceInAGeneration(log);
        } finally {
            for (ConsumerThread m : members) {
                m.close();
            }
        }
    }

    @Test
    void committedOffsetsAreReadBackByTheConsumerAndAdmin() throws Exception {
        createTopic("commits", 3);
        produce("commits", 300);
        List<ConsumerThread.Ownership> log = new CopyOnWriteArrayList<>();
        try (ConsumerThread c = new ConsumerThread(nodes.bootstrap(), "committers", "commits", "k1", Map.of(), log)
                .committing().start()) {
            TestNodes.await("300 records consumed", () -> c.consumed().size() >= 300);
            TestNodes.await("every offset committed", () -> {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("committers")
                            .partitionsToOffsetAndMetadata().get();
                    return committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum() == 300;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
        assertEquals(300, admin.listConsumerGroupOffsets("committers").partitionsToOffsetAndMetadata().get()
                .values().stream().mapToLong(OffsetAndMetadata::offset).sum());
        // a new member of the group starts where the group left off: nothing is read twice
        produce("commits", 30);
        try (ConsumerThread again = new ConsumerThread(nodes.bootstrap(), "committers", "commits", "k2", Map.of(),
                new CopyOnWriteArrayList<>()).start()) {
            TestNodes.await("the 30 new records", () -> again.consumed().size() >= 30);
            Thread.sleep(500);
            assertEquals(30, again.consumed().size());
            Set<String> values = new HashSet<>();
            again.consumed().forEach(r -> values.add(r.value()));
            assertEquals(30, values.size());
        }
        ConsumerGroupDescription empty = admin.describeConsumerGroups(List.of("committers")).all().get()
                .get("committers");
        assertEquals(GroupState.EMPTY, empty.groupState());
    }
}
