package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerFixtures.apply;
import static io.runnel.metadata.controller.PartitionLeadershipTest.withPartition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class ConfigAlterationTest {
    private static final MetadataImage IMAGE = withPartition(List.of(1), List.of(1), 1);
    private static final ConfigResource TOPIC = new ConfigResource(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "t");

    private static Op op(String key, OpType type, String value) {
        Op.Builder b = Op.newBuilder().setName(key).setOp(type);
        if (value != null) {
            b.setValue(value);
        }
        return b.build();
    }

    private static ControllerResult<IncrementalAlterConfigsResponse> alter(MetadataImage image,
            ConfigResourceType type, String name, Op... ops) {
        return ConfigAlteration.alter(image, IncrementalAlterConfigsRequest.newBuilder().addResources(
                IncrementalAlterConfigsRequest.Resource.newBuilder().setResourceType(type).setResourceName(name)
                        .addAllOps(List.of(ops))).build());
    }

    private static short topicError(Op... ops) {
        return (short) alter(IMAGE, ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "t", ops).response()
                .getResources(0).getErrorCode();
    }

    @Test
    void setAppendSubtractAndDeleteTopicKeys() {
        ControllerResult<IncrementalAlterConfigsResponse> r = alter(IMAGE,
                ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "t", op("retention.ms", OpType.SET, "1000"),
                op("cleanup.policy", OpType.APPEND, "compact"), op("min.cleanable.dirty.ratio", OpType.SET, "0.5"));
        assertEquals(0, r.response().getResources(0).getErrorCode());
        MetadataImage after = apply(IMAGE, r.records());
        assertEquals(Map.of("retention.ms", "1000", "cleanup.policy", "delete,compact",
                "min.cleanable.dirty.ratio", "0.5"), after.configs().get(TOPIC));
        MetadataImage trimmed = apply(after, alter(after, ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "t",
                op("cleanup.policy", OpType.SUBTRACT, "delete"), op("retention.ms", OpType.DELETE, null)).records());
        assertEquals(Map.of("cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.5"),
                trimmed.configs().get(TOPIC));
    }

    @Test
    void unknownKeysAndBadValuesAreInvalidConfig() {
        assertEquals(ErrorCode.INVALID_CONFIG.code(), topicError(op("retention.mss", OpType.SET, "1")));
        assertEquals(ErrorCode.INVALID_CONFIG.code(), topicError(op("retention.ms", OpType.SET, "-2")));
        assertEquals(ErrorCode.INVALID_CONFIG.code(), topicError(op("retention.ms", OpType.SET, "ten")));
        assertEquals(ErrorCode.INVALID_CONFIG.code(), topicError(op("segment.bytes", OpType.SET, "100")));
        assertEquals(ErrorCode.INVALID_CONFIG.code(), topicError(op("preallocate", OpType.SET, "yes")));
        assertEquals(ErrorCode.INVALID_CONFIG.code(), topicError(op("min.cleanable.dirty.ratio", OpType.SET, "2")));
        assertEquals(ErrorCode.INVALID_CONFIG.code(), topicError(op("compression.type", OpType.SET, "brotli")));
        assertEquals(ErrorCode.INVALID_CONFIG.code(), topicError(op("cleanup.policy", OpType.SET, "delete,keep")));
        assertEquals(ErrorCode.INVALID_CONFIG.code(), topicError(op("retention.ms", OpType.APPEND, "1")));
        assertEquals(ErrorCode.INVALID_CONFIG.code(), topicError(op("retention.ms", OpType.SET, null)));
        assertEquals(ErrorCode.INVALID_CONFIG.code(), topicError(op("no.such", OpType.DELETE, null)));
        assertEquals(ErrorCode.INVALID_REQUEST.code(), topicError(op("retention.ms", OpType.SET, "1"),
                op("retention.ms", OpType.SET, "2")));
        // one bad op fails the whole resource: nothing is written for it
        assertTrue(alter(IMAGE, ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "t",
                op("retention.ms", OpType.SET, "1"), op("bogus", OpType.SET, "1")).records().isEmpty());
    }

    @Test
    void brokerResourcesAcceptAnyKeyButCheckKnownValuesAndNames() {
        assertEquals(0, alter(IMAGE, ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER, "",
                op("log.cleaner.io.max.bytes.per.second", OpType.SET, "1")).response().getResources(0)
                .getErrorCode());
        assertEquals(ErrorCode.INVALID_CONFIG.code(), alter(IMAGE, ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER,
                "1", op("num.partitions", OpType.SET, "0")).response().getResources(0).getErrorCode());
        assertEquals(ErrorCode.INVALID_REQUEST.code(), alter(IMAGE, ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER,
                "broker-one", op("num.partitions", OpType.SET, "3")).response().getResources(0).getErrorCode());
        assertEquals(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(), alter(IMAGE,
                ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "nope", op("retention.ms", OpType.SET, "1"))
                .response().getResources(0).getErrorCode());
    }

    @Test
    void validateOnlyWritesNothing() {
        ControllerResult<IncrementalAlterConfigsResponse> r = ConfigAlteration.alter(IMAGE,
                IncrementalAlterConfigsRequest.newBuilder().setValidateOnly(true).addResources(
                        IncrementalAlterConfigsRequest.Resource.newBuilder()
                                .setResourceType(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC).setResourceName("t")
                                .addOps(op("retention.ms", OpType.SET, "5"))).build());
        assertEquals(0, r.response().getResources(0).getErrorCode());
        assertTrue(r.records().isEmpty());
    }
}
