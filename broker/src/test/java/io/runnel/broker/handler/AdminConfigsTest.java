package io.runnel.broker.handler;

import io.runnel.broker.testing.FixedBrokerConfigs;
import io.runnel.broker.testing.QuorumBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.RaftVoterEndpoint;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DescribeConfigs, IncrementalAlterConfigs and DescribeQuorum through kafka-clients' Admin against a broker backed by
 * a real one-voter metadata quorum.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AdminConfigsTest {
    @TempDir
    static Path dir;
    static QuorumBroker broker;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = QuorumBroker.start(dir, Map.of(), FixedBrokerConfigs.TYPICAL);
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
        return e.getCause();
    }

    static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    static Config describe(ConfigResource r, boolean synonyms) throws Exception {
        return get(admin.describeConfigs(List.of(r), new DescribeConfigsOptions().includeSynonyms(synonyms))
                .values().get(r));
    }

    /** What Kafka's TopicCommand --describe prints after {@code Configs: } (its non-default entries, in order). */
    static String topicCommandConfigs(Config config) {
        return config.entries().stream().filter(e -> !e.isDefault()).map(e -> e.name() + "=" + e.value())
                .collect(Collectors.joining(","));
    }

    @Test
    void topicConfigsReportOverridesBrokerSettingsAndDefaultsWithTheirSources() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("described", 1, (short) 1)
                .configs(Map.of("cleanup.policy", "compact", "retention.ms", "1000")))).all());
        Config c = describe(topic("described"), true);
        assertEquals(TopicConfigDefaults.BY_TOPIC_KEY.size(), c.entries().size());
        ConfigEntry retention = c.get("retention.ms");
        assertEquals("1000", retention.value());
        assertEquals(ConfigSource.DYNAMIC_TOPIC_CONFIG, retention.source());
        assertEquals(List.of("retention.ms", "log.retention.hours"),
                retention.synonyms().stream().map(ConfigEntry.ConfigSynonym::name).toList());
        assertEquals(ConfigSource.DEFAULT_CONFIG, retention.synonyms().get(1).source());
        assertEquals(ConfigEntry.ConfigType.LONG, retention.type());

        ConfigEntry segment = c.get("segment.bytes");
        assertEquals("1073741824", segment.value());
        assertEquals(ConfigSource.STATIC_BROKER_CONFIG, segment.source());
        ConfigEntry maxMessage = c.get("max.message.bytes");
        assertEquals(ConfigSource.DEFAULT_CONFIG, maxMessage.source());
        assertEquals("1048588", maxMessage.value());
        assertEquals("1", c.get("min.insync.replicas").value());
        assertEquals("604800000", c.get("segment.ms").value());
        assertEquals(ConfigSource.DEFAULT_CONFIG, c.get("remote.storage.enable").source());
        assertEquals("cleanup.policy=compact,retention.ms=1000,segment.bytes=1073741824",
                topicCommandConfigs(describe(topic("described"), false)));

        Config only = get(admin.describeConfigs(List.of(topic("described")), new DescribeConfigsOptions())
                .values().get(topic("described")));
        assertTrue(only.get("retention.ms").synonyms().isEmpty());
        assertInstanceOf(UnknownTopicOrPartitionException.class,
                failure(admin.describeConfigs(List.of(topic("absent"))).all()));
    }

    @Test
    void brokerConfigsComeFromTheBrokersOwnConfiguration() throws Exception {
        ConfigResource self = new ConfigResource(ConfigResource.Type.BROKER, "1");
        Config c = describe(self, true);
        assertEquals(FixedBrokerConfigs.TYPICAL.values().size(), c.entries().size());
        assertEquals(ConfigSource.STATIC_BROKER_CONFIG, c.get("log.segment.bytes").source());
        assertEquals(ConfigSource.DEFAULT_CONFIG, c.get("log.retention.hours").source());
        assertEquals("168", c.get("log.retention.hours").value());
        assertTrue(c.get("log.retention.hours").isReadOnly());
        assertTrue(c.get("ssl.keystore.password").isSensitive());
        assertNull(c.get("ssl.keystore.password").value());
        assertEquals(ConfigEntry.ConfigType.INT, c.get("log.segment.bytes").type());
    }

    @Test
    void incrementalAlterationsAreVisibleToTheNextDescribe() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("altered", 1, (short) 1)
                .configs(Map.of("segment.ms", "100000")))).all());
        ConfigResource t = topic("altered");
        Map<ConfigResource, Collection<AlterConfigOp>> ops = Map.of(t, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "5000"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("segment.ms", null), AlterConfigOp.OpType.DELETE),
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND)));
        get(admin.incrementalAlterConfigs(ops).all());
        Config c = describe(t, false);
        assertEquals("5000", c.get("retention.ms").value());
        assertEquals(ConfigSource.DEFAULT_CONFIG, c.get("segment.ms").source());
        assertEquals("delete,compact", c.get("cleanup.policy").value());

        get(admin.incrementalAlterConfigs(Map.of(t, List.of(new AlterConfigOp(new ConfigEntry("retention.ms",
                "1"), AlterConfigOp.OpType.SET))), new AlterConfigsOptions().validateOnly(true)).all());
        assertEquals("5000", describe(t, false).get("retention.ms").value());

        assertInstanceOf(InvalidConfigurationException.class, failure(admin.incrementalAlterConfigs(Map.of(t,
                List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SUBTRACT))))
                .all()));
        assertInstanceOf(InvalidConfigurationException.class, failure(admin.incrementalAlterConfigs(Map.of(t,
                List.of(new AlterConfigOp(new ConfigEntry("no.such.key", "1"), AlterConfigOp.OpType.SET)))).all()));
        assertInstanceOf(UnknownTopicOrPartitionException.class, failure(admin.incrementalAlterConfigs(Map.of(
                topic("absent"), List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "1"),
                        AlterConfigOp.OpType.SET)))).all()));
        Throwable broker = failure(admin.incrementalAlterConfigs(Map.of(new ConfigResource(
                ConfigResource.Type.BROKER, "1"), List.of(new AlterConfigOp(new ConfigEntry("log.retention.ms",
                "1"), AlterConfigOp.OpType.SET)))).all());
        assertInstanceOf(InvalidRequestException.class, broker);
        assertTrue(broker.getMessage().contains("Cannot update these configs dynamically: [log.retention.ms]"), broker.getMessage());
    }

    @Test
    void describeMetadataQuorumReportsTheRatisQuorum() throws Exception {
        QuorumInfo q = get(admin.describeMetadataQuorum().quorumInfo());
        assertEquals(QuorumBroker.NODE_ID, q.leaderId());
        assertTrue(q.leaderEpoch() >= 1, "the Ratis term: " + q.leaderEpoch());
        assertTrue(q.highWatermark() > 0);
        assertEquals(List.of(QuorumBroker.NODE_ID), q.voters().stream().map(QuorumInfo.ReplicaState::replicaId)
                .toList());
        assertTrue(q.voters().get(0).logEndOffset() >= q.highWatermark());
        QuorumInfo.Node node = q.nodes().get(QuorumBroker.NODE_ID);
        RaftVoterEndpoint endpoint = node.endpoints().get(0);
        assertEquals("CONTROLLER", endpoint.listener());
        assertEquals(broker.voters().get(0).port(), endpoint.port());
    }
}
