package io.runnel.broker.handler;

import io.runnel.broker.testing.FixedBrokerConfigs;
import io.runnel.broker.testing.QuorumBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CreateTopics, DeleteTopics and CreatePartitions through kafka-clients' Admin against a broker backed by a real
 * one-voter metadata quorum: results, Kafka's error classes, defaults, validate_only, and that the broker's very
 * next Metadata answer shows each change (no client-side retry needed).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AdminTopicsTest {
    @TempDir
    static Path dir;
    static QuorumBroker broker;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = QuorumBroker.start(dir, Map.of("num.partitions", "2"), FixedBrokerConfigs.TYPICAL);
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap(), "default.api.timeout.ms", "60000"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    static <T> T get(KafkaFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    static Throwable failure(KafkaFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
        assertNotNull(e.getCause().getMessage(), "a message for " + e.getCause());
        return e.getCause();
    }

    @Test
    void createDescribeProduceAndDeleteWithoutWaitingOnTheClientSide() throws Exception {
        CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1)
                .configs(Map.of("retention.ms", "3600000"))));
        get(created.all());
        assertEquals(3, get(created.numPartitions("orders")));
        assertEquals(1, get(created.replicationFactor("orders")));
        Uuid id = get(created.topicId("orders"));
        assertNotEquals(Uuid.ZERO_UUID, id);
        Config config = get(created.config("orders"));
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, config.get("retention.ms").source());
        assertEquals("3600000", config.get("retention.ms").value());
        assertEquals("1073741824", config.get("segment.bytes").value());

        // the broker answered only once its image held the topic: describe at once, no retry loop
        TopicDescription d = get(admin.describeTopics(List.of("orders")).allTopicNames()).get("orders");
        assertEquals(id, d.topicId());
        assertEquals(3, d.partitions().size());
        for (TopicPartitionInfo p : d.partitions()) {
            assertEquals(QuorumBroker.NODE_ID, p.leader().id());
        }
        assertTrue(get(admin.listTopics().names()).contains("orders"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                broker.bootstrap(), "max.block.ms", "30000"), new StringSerializer(), new StringSerializer())) {
            assertEquals(0, producer.send(new ProducerRecord<>("orders", 2, "k", "v")).get(60, TimeUnit.SECONDS)
                    .offset());
        }

        get(admin.deleteTopics(List.of("orders")).all());
        assertFalse(get(admin.listTopics().names()).contains("orders"));
        assertInstanceOf(UnknownTopicOrPartitionException.class,
                failure(admin.describeTopics(List.of("orders")).allTopicNames()));
        assertInstanceOf(UnknownTopicOrPartitionException.class,
                failure(admin.deleteTopics(List.of("orders")).all()));
    }

    @Test
    void badRequestsGetKafkasErrorsPerTopic() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("taken", 1, (short) 1))).all());
        CreateTopicsResult r = admin.createTopics(List.of(
                new NewTopic("bad name!", 1, (short) 1),
                new NewTopic("zero-partitions", 0, (short) 1),
                new NewTopic("too-many-replicas", 1, (short) 3),
                new NewTopic("taken", 1, (short) 1),
                new NewTopic("unknown-config", 1, (short) 1).configs(Map.of("no.such.key", "1")),
                new NewTopic("bad-value", 1, (short) 1).configs(Map.of("retention.ms", "soon")),
                new NewTopic("fine", 1, (short) 1)));
        assertInstanceOf(InvalidTopicException.class, failure(r.values().get("bad name!")));
        assertInstanceOf(InvalidPartitionsException.class, failure(r.values().get("zero-partitions")));
        assertInstanceOf(InvalidReplicationFactorException.class, failure(r.values().get("too-many-replicas")));
        assertInstanceOf(TopicExistsException.class, failure(r.values().get("taken")));
        assertInstanceOf(InvalidConfigurationException.class, failure(r.values().get("unknown-config")));
        assertInstanceOf(InvalidConfigurationException.class, failure(r.values().get("bad-value")));
        get(r.values().get("fine"));
        assertEquals(Set.of("taken", "fine"), Set.copyOf(get(admin.listTopics().names()).stream()
                .filter(n -> Set.of("taken", "fine", "bad-value", "zero-partitions").contains(n)).toList()));
    }

    @Test
    void minusOneMeansTheControllerDefaultsAndValidateOnlyCreatesNothing() throws Exception {
        CreateTopicsResult defaults = admin.createTopics(List.of(new NewTopic("defaults", Optional.empty(),
                Optional.empty())));
        assertEquals(2, get(defaults.numPartitions("defaults")));
        assertEquals(1, get(defaults.replicationFactor("defaults")));
        assertEquals(2, get(admin.describeTopics(List.of("defaults")).allTopicNames()).get("defaults")
                .partitions().size());

        CreateTopicsResult dry = admin.createTopics(List.of(new NewTopic("dry-run", 5, (short) 1)),
                new CreateTopicsOptions().validateOnly(true));
        get(dry.all());
        assertEquals(5, get(dry.numPartitions("dry-run")));
        assertFalse(get(admin.listTopics().names()).contains("dry-run"));
        assertInstanceOf(InvalidPartitionsException.class, failure(admin.createTopics(List.of(
                new NewTopic("dry-bad", 0, (short) 1)), new CreateTopicsOptions().validateOnly(true)).all()));
    }

    @Test
    void topicsAreDeletedByIdToo() throws Exception {
        Uuid id = get(admin.createTopics(List.of(new NewTopic("by-id", 1, (short) 1))).topicId("by-id"));
        get(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all());
        assertFalse(get(admin.listTopics().names()).contains("by-id"));
        assertInstanceOf(UnknownTopicIdException.class,
                failure(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(Uuid.randomUuid()))).all()));
    }

    @Test
    void partitionsOnlyGrow() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("growing", 2, (short) 1))).all());
        get(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(4))).all());
        TopicDescription d = get(admin.describeTopics(List.of("growing")).allTopicNames()).get("growing");
        assertEquals(4, d.partitions().size());
        assertEquals(QuorumBroker.NODE_ID, d.partitions().get(3).leader().id());
        assertInstanceOf(InvalidPartitionsException.class,
                failure(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(4))).all()));
        assertInstanceOf(InvalidPartitionsException.class,
                failure(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(1))).all()));
        assertInstanceOf(UnknownTopicOrPartitionException.class,
                failure(admin.createPartitions(Map.of("nowhere", NewPartitions.increaseTo(3))).all()));
    }
}
