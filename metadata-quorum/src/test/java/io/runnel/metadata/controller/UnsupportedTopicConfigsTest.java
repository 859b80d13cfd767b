package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerFixtures.apply;
import static io.runnel.metadata.controller.PartitionLeadershipTest.withPartition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.ConfigResource;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.record.ConfigResourceType;
import io.runnel.metadata.rpc.IncrementalAlterConfigsRequest;
import io.runnel.metadata.rpc.IncrementalAlterConfigsRequest.Op;
import io.runnel.metadata.rpc.IncrementalAlterConfigsRequest.OpType;
import io.runnel.metadata.rpc.IncrementalAlterConfigsResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnsupportedTopicConfigsTest {
    private static final MetadataImage IMAGE = withPartition(List.of(1), List.of(1), 1);
    private static final ConfigResource TOPIC = new ConfigResource(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "t");

    /** A value Runnel cannot honour per restricted key; each passes the key's own type and range check. */
    static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("cleanup.policy", ""),
            Map.entry("compression.type", "gzip"),
            Map.entry("compression.gzip.level", "5"),
            Map.entry("compression.lz4.level", "1"),
            Map.entry("compression.zstd.level", "10"),
            Map.entry("local.retention.bytes", "1000"),
            Map.entry("local.retention.ms", "-1"),
            Map.entry("preallocate", "true"),
            Map.entry("remote.storage.enable", "TRUE"),
            Map.entry("remote.log.copy.disable", "true"),
            Map.entry("remote.log.delete.on.disable", "true"),
            Map.entry("segment.index.bytes", "8"),
            Map.entry("segment.jitter.ms", "1000"));

    /** Kafka's default of each restricted key (or another honoured value): accepted. */
    static final Map<String, String> HONOURED = Map.ofEntries(
            Map.entry("cleanup.policy", "compact,delete"),
            Map.entry("compression.type", "producer"),
            Map.entry("compression.gzip.level", "-1"),
            Map.entry("compression.lz4.level", "9"),
            Map.entry("compression.zstd.level", " 3"),
            Map.entry("local.retention.bytes", "-2"),
            Map.entry("local.retention.ms", "-2"),
            Map.entry("preallocate", "False"),
            Map.entry("remote.storage.enable", "false"),
            Map.entry("remote.log.copy.disable", "false"),
            Map.entry("remote.log.delete.on.disable", "false"),
            Map.entry("segment.index.bytes", "12"),
            Map.entry("segment.jitter.ms", "0"));

    @Test
    void everyRestrictedKeyIsAKafkaTopicKeyAndBothTablesCoverThemAll() {
        assertTrue(TopicConfigs.KEYS.keySet().containsAll(UnsupportedTopicConfigs.RESTRICTIONS.keySet()));
        assertEquals(UnsupportedTopicConfigs.RESTRICTIONS.keySet(), REFUSED.keySet());
        assertEquals(UnsupportedTopicConfigs.RESTRICTIONS.keySet(), HONOURED.keySet());
    }

    @Test
    void refusedValuesAreInvalidConfigNamingTheKeyAndHonouredOnesPass() {
        REFUSED.forEach((key, value) -> {
            assertTrue(TopicConfigs.KEYS.get(key).invalidReason(value) == null, key + " passes its type check");
            ApiError e = TopicConfigs.validate(key, value);
            assertEquals(ErrorCode.INVALID_CONFIG, e.error(), key);
            assertTrue(e.message().startsWith("Runnel does not support " + key + "=" + value + " yet"),
                    e.message());
        });
        HONOURED.forEach((key, value) -> assertTrue(TopicConfigs.validate(key, value).isSuccess(), key));
        assertTrue(TopicConfigs.validate(HONOURED).isSuccess());
    }

    @Test
    void createTopicsRefusesAnUnsupportedValueAndCreatesNothing() {
        ControllerResult<List<CreateTopicResult>> r = TopicCreation.createTopics(ControllerFixtures.brokers(1, 0),
                List.of(new CreatableTopic("x", 1, (short) 1, Map.of("retention.ms", "5", "preallocate", "true"))),
                1, (short) 1, ControllerFixtures.sequentialIds(), false);
        assertEquals(ErrorCode.INVALID_CONFIG, r.response().get(0).error().error());
        assertTrue(r.response().get(0).error().message().contains("preallocate"));
        assertTrue(r.records().isEmpty());
    }

    @Test
    void alterationsRefuseUnsupportedResultsIncludingAppendedLists() {
        assertEquals(ErrorCode.INVALID_CONFIG.code(), alterError(IMAGE,
                op("leader.replication.throttled.replicas", OpType.APPEND, "0:x")));
        assertEquals(ErrorCode.INVALID_CONFIG.code(), alterError(IMAGE,
                op("cleanup.policy", OpType.SUBTRACT, "delete")));
        assertEquals(ErrorCode.INVALID_CONFIG.code(), alterError(IMAGE, op("retention.ms", OpType.SET, "5"),
                op("compression.type", OpType.SET, "zstd")));
        assertTrue(alter(IMAGE, op("retention.ms", OpType.SET, "5"), op("segment.jitter.ms", OpType.SET, "9"))
                .records().isEmpty());
        assertEquals(0, alterError(IMAGE, op("compression.type", OpType.SET, "producer")));
    }

    @Test
    void minCompactionLagAboveMaxIsAConflictAgainstStoredAndDefaultValues() {
        ApiError created = TopicConfigs.validate(Map.of("min.compaction.lag.ms", "10", "max.compaction.lag.ms",
                "5"));
        assertEquals(ErrorCode.INVALID_CONFIG, created.error());
        assertEquals("conflict topic config setting min.compaction.lag.ms (10) > max.compaction.lag.ms (5)",
                created.message());
        assertTrue(TopicConfigs.validate(Map.of("min.compaction.lag.ms", "10")).isSuccess());

        MetadataImage withMax = apply(IMAGE, alter(IMAGE, op("max.compaction.lag.ms", OpType.SET, "100"))
                .records());
        assertEquals(Map.of("max.compaction.lag.ms", "100"), withMax.configs().get(TOPIC));
        assertEquals(ErrorCode.INVALID_CONFIG.code(), alterError(withMax,
                op("min.compaction.lag.ms", OpType.SET, "101")));
        assertEquals(0, alterError(withMax, op("min.compaction.lag.ms", OpType.SET, "101"),
                op("max.compaction.lag.ms", OpType.DELETE, null)));
    }

    private static Op op(String key, OpType type, String value) {
        Op.Builder b = Op.newBuilder().setName(key).setOp(type);
        if (value != null) {
            b.setValue(value);
        }
        return b.build();
    }

    private static ControllerResult<IncrementalAlterConfigsResponse> alter(MetadataImage image, Op... ops) {
        return ConfigAlteration.alter(image, IncrementalAlterConfigsRequest.newBuilder().addResources(
                IncrementalAlterConfigsRequest.Resource.newBuilder()
                        .setResourceType(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC).setResourceName("t")
                        .addAllOps(List.of(ops))).build());
    }

    private static int alterError(MetadataImage image, Op... ops) {
        return alter(image, ops).response().getResources(0).getErrorCode();
    }
}
