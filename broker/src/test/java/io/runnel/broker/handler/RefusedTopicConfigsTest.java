package io.runnel.broker.handler;

import io.runnel.broker.testing.FixedBrokerConfigs;
import io.runnel.broker.testing.QuorumBroker;
import io.runnel.broker.testing.RawClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.runnel.broker.handler.AdminConfigsTest.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Topic configs Runnel cannot honour yet, through kafka-clients' Admin against a broker on a real one-voter quorum:
 * CreateTopics (also validate_only) and IncrementalAlterConfigs refuse them with INVALID_CONFIG naming the key and
 * store nothing; Kafka's default of each key is accepted; bad values of the compaction keys are refused too.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RefusedTopicConfigsTest {
    /** One value Runnel cannot honour per refused key. */
    static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("cleanup.policy", ""),
            Map.entry("compression.type", "lz4"),
            Map.entry("compression.gzip.level", "9"),
            Map.entry("compression.lz4.level", "12"),
            Map.entry("compression.zstd.level", "1"),
            Map.entry("local.retention.bytes", "1048576"),
            Map.entry("local.retention.ms", "60000"),
            Map.entry("preallocate", "true"),
            Map.entry("remote.storage.enable", "true"),
            Map.entry("remote.log.copy.disable", "true"),
            Map.entry("remote.log.delete.on.disable", "true"),
            Map.entry("segment.index.bytes", "4"),
            Map.entry("segment.jitter.ms", "60000"));

    /** Kafka's default of every refused key: accepted. */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("cleanup.policy", "delete"),
            Map.entry("compression.type", "producer"),
            Map.entry("compression.gzip.level", "-1"),
            Map.entry("compression.lz4.level", "9"),
            Map.entry("compression.zstd.level", "3"),
            Map.entry("local.retention.bytes", "-2"),
            Map.entry("local.retention.ms", "-2"),
            Map.entry("preallocate", "false"),
            Map.entry("remote.storage.enable", "false"),
            Map.entry("remote.log.copy.disable", "false"),
            Map.entry("remote.log.delete.on.disable", "false"),
            Map.entry("segment.index.bytes", "10485760"),
            Map.entry("segment.jitter.ms", "0"));

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

    static void assertRefused(Throwable t, String key) {
        assertInstanceOf(InvalidConfigurationException.class, t);
        assertTrue(t.getMessage().contains(key), t.getMessage());
    }

    static Config describe(String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return AdminConfigsTest.get(admin.describeConfigs(List.of(r)).values().get(r));
    }

    @Test
    void createTopicsRefusesEachUnsupportedValueAlsoWhenOnlyValidatingAndCreatesNothing() throws Exception {
        assertEquals(DEFAULTS.keySet(), REFUSED.keySet());
        for (Map.Entry<String, String> e : REFUSED.entrySet()) {
            NewTopic t = new NewTopic("refused-" + e.getKey(), 1, (short) 1).configs(Map.of(e.getKey(), e.getValue(),
                    "retention.ms", "60000"));
            Throwable validated = failure(admin.createTopics(List.of(t), new CreateTopicsOptions().validateOnly(true))
                    .all());
            assertRefused(validated, e.getKey());
            assertTrue(validated.getMessage().contains("Runnel does not support " + e.getKey() + "="
                    + e.getValue() + " yet"), validated.getMessage());
            assertRefused(failure(admin.createTopics(List.of(t)).all()), e.getKey());
        }
        assertTrue(AdminConfigsTest.get(admin.listTopics().names()).stream().noneMatch(n -> n.startsWith("refused-")));

        AdminConfigsTest.get(admin.createTopics(List.of(new NewTopic("kafka-defaults", 1, (short) 1)
                .configs(DEFAULTS))).all());
        Config c = describe("kafka-defaults");
        DEFAULTS.forEach((key, value) -> {
            assertEquals(value, c.get(key).value(), key);
            assertEquals(ConfigSource.DYNAMIC_TOPIC_CONFIG, c.get(key).source(), key);
        });
    }

    @Test
    void alterationsRefuseEachUnsupportedValueAndStoreNothing() throws Exception {
        AdminConfigsTest.get(admin.createTopics(List.of(new NewTopic("alter-target", 1, (short) 1)
                .configs(Map.of("retention.ms", "60000")))).all());
        ConfigResource target = new ConfigResource(ConfigResource.Type.TOPIC, "alter-target");
        for (Map.Entry<String, String> e : REFUSED.entrySet()) {
            Map<ConfigResource, java.util.Collection<AlterConfigOp>> ops = Map.of(target, List.of(
                    new AlterConfigOp(new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET)));
            assertRefused(failure(admin.incrementalAlterConfigs(ops, new AlterConfigsOptions().validateOnly(true))
                    .all()), e.getKey());
            assertRefused(failure(admin.incrementalAlterConfigs(ops).all()), e.getKey());
        }
        assertRefused(failure(admin.incrementalAlterConfigs(Map.of(target, List.of(new AlterConfigOp(
                new ConfigEntry("leader.replication.throttled.replicas", "0:x"), AlterConfigOp.OpType.APPEND))))
                .all()), "leader.replication.throttled.replicas");
        assertRefused(failure(admin.incrementalAlterConfigs(Map.of(target, List.of(new AlterConfigOp(
                new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.SUBTRACT)))).all()),
                "cleanup.policy");
        Config c = describe("alter-target");
        assertEquals("60000", c.get("retention.ms").value(), "a refused resource stores none of its operations");
        for (String key : REFUSED.keySet()) {
            assertEquals(ConfigSource.DEFAULT_CONFIG, c.get(key).source(), key);
        }
        AdminConfigsTest.get(admin.incrementalAlterConfigs(Map.of(target, List.of(new AlterConfigOp(
                new ConfigEntry("compression.type", "producer"), AlterConfigOp.OpType.SET)))).all());
        assertEquals(ConfigSource.DYNAMIC_TOPIC_CONFIG, describe("alter-target").get("compression.type").source());
    }

    @Test
    void badValuesOfTheCompactionKeysAreRefusedNamingTheKey() throws Exception {
        Map<String, String> bad = Map.of("cleanup.policy", "compact,keep", "min.cleanable.dirty.ratio", "1.5",
                "max.compaction.lag.ms", "0", "min.compaction.lag.ms", "-1", "delete.retention.ms", "-1");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            assertRefused(failure(admin.createTopics(List.of(new NewTopic("bad-" + e.getKey(), 1, (short) 1)
                    .configs(Map.of(e.getKey(), e.getValue())))).all()), e.getKey());
        }
        Throwable conflict = failure(admin.createTopics(List.of(new NewTopic("bad-lags", 1, (short) 1)
                .configs(Map.of("min.compaction.lag.ms", "5000", "max.compaction.lag.ms", "1000")))).all());
        assertRefused(conflict, "min.compaction.lag.ms");
        assertFalse(AdminConfigsTest.get(admin.listTopics().names()).stream().anyMatch(n -> n.startsWith("bad-")));

        AdminConfigsTest.get(admin.createTopics(List.of(new NewTopic("compacted-ok", 1, (short) 1)
                .configs(Map.of("cleanup.policy", "compact,delete", "min.cleanable.dirty.ratio", "0.1",
                        "min.compaction.lag.ms", "1000", "max.compaction.lag.ms", "5000",
                        "delete.retention.ms", "0")))).all());
        ConfigResource t = new ConfigResource(ConfigResource.Type.TOPIC, "compacted-ok");
        assertRefused(failure(admin.incrementalAlterConfigs(Map.of(t, List.of(new AlterConfigOp(
                new ConfigEntry("min.compaction.lag.ms", "6000"), AlterConfigOp.OpType.SET)))).all()),
                "max.compaction.lag.ms");
        assertEquals("1000", describe("compacted-ok").get("min.compaction.lag.ms").value());
    }

    @Test
    void theLegacyAlterConfigsApiIsNotAdvertised() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            c.send(new ApiVersionsRequest(new ApiVersionsRequestData(), (short) 0), 1);
            ApiVersionsResponseData v = (ApiVersionsResponseData) c.read(ApiKeys.API_VERSIONS, (short) 0, 1).data();
            assertEquals(Errors.NONE.code(), v.errorCode());
            assertNull(v.apiKeys().find(ApiKeys.ALTER_CONFIGS.id), "AlterConfigs (33) is not served");
            assertNotNull(v.apiKeys().find(ApiKeys.INCREMENTAL_ALTER_CONFIGS.id));
        }
    }
}
