package io.runnel.metadata.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.errors.MetadataReplayException;
import io.runnel.metadata.record.BrokerIdList;
import io.runnel.metadata.record.ConfigRecord;
import io.runnel.metadata.record.ConfigResourceType;
import io.runnel.metadata.record.FenceBrokerRecord;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.OffsetCommitRecord;
import io.runnel.metadata.record.OffsetDeleteRecord;
import io.runnel.metadata.record.PartitionChangeRecord;
import io.runnel.metadata.record.PartitionRecord;
import io.runnel.metadata.record.ProducerIdsRecord;
import io.runnel.metadata.record.RegisterBrokerRecord;
import io.runnel.metadata.record.RemoveTopicRecord;
import io.runnel.metadata.record.TopicRecord;
import io.runnel.metadata.record.UnfenceBrokerRecord;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MetadataDeltaTest {
    private static final UUID TOPIC_ID = new UUID(7, 42);
    private static final ConfigResource TOPIC_RESOURCE =
            new ConfigResource(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "orders");

    private MetadataImage image = MetadataImage.empty("cluster-a");
    private long index;

    private MetadataImage apply(MetadataRecord... records) {
        MetadataDelta delta = new MetadataDelta(image);
        for (MetadataRecord r : records) {
            delta.replay(r);
        }
        image = delta.apply(new MetadataProvenance(1, ++index));
        return image;
    }

    private ErrorCode rejected(MetadataRecord r) {
        MetadataDelta delta = new MetadataDelta(image);
        return assertThrows(MetadataReplayException.class, () -> delta.replay(r)).error();
    }

    static MetadataRecord register(int id, long epoch) {
        return MetadataRecord.newBuilder().setRegisterBroker(RegisterBrokerRecord.newBuilder().setBrokerId(id)
                .setIncarnationId(Uuids.toProto(new UUID(id, epoch))).setBrokerEpoch(epoch).setFenced(true)
                .addEndpoints(io.runnel.metadata.record.BrokerEndpoint.newBuilder().setListenerName("PLAINTEXT")
                        .setHost("127.0.0.1").setPort(9092 + id).setSecurityProtocol("PLAINTEXT"))).build();
    }

    static MetadataRecord topic(String name, UUID id) {
        return MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName(name)
                .setTopicId(Uuids.toProto(id))).build();
    }

    static MetadataRecord partition(UUID topicId, int partition, List<Integer> replicas) {
        return MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder().setTopicId(Uuids.toProto(topicId))
                .setPartitionId(partition).addAllReplicas(replicas).addAllIsr(replicas).setLeader(replicas.get(0)))
                .build();
    }

    @Test
    void registerFenceAndUnfenceBroker() {
        apply(register(1, 10));
        BrokerRegistration b = image.brokers().get(1);
        assertTrue(b.fenced());
        assertEquals(10, b.epoch());
        assertEquals(9093, b.endpoints().get(0).port());
        assertNull(b.rack());
        apply(MetadataRecord.newBuilder().setUnfenceBroker(UnfenceBrokerRecord.newBuilder().setBrokerId(1)
                .setBrokerEpoch(10)).build());
        assertFalse(image.brokers().get(1).fenced());
        assertEquals(ErrorCode.STALE_BROKER_EPOCH, rejected(MetadataRecord.newBuilder()
                .setFenceBroker(FenceBrokerRecord.newBuilder().setBrokerId(1).setBrokerEpoch(9)).build()));
        assertEquals(ErrorCode.BROKER_ID_NOT_REGISTERED, rejected(MetadataRecord.newBuilder()
                .setFenceBroker(FenceBrokerRecord.newBuilder().setBrokerId(2).setBrokerEpoch(10)).build()));
        assertEquals(ErrorCode.STALE_BROKER_EPOCH, rejected(register(1, 10)));
        apply(register(1, 11));
        assertEquals(11, image.brokers().get(1).epoch());
        assertTrue(image.brokers().get(1).fenced());
    }

    @Test
    void topicAndPartitionsAreIndexedByNameAndId() {
        apply(topic("orders", TOPIC_ID), partition(TOPIC_ID, 0, List.of(1, 2)), partition(TOPIC_ID, 1, List.of(2, 1)));
        TopicImage t = image.topicsByName().get("orders");
        assertSame(t, image.topicsById().get(TOPIC_ID));
        assertEquals(List.of(2, 1), t.partition(1).replicas());
        assertEquals(2, t.partition(1).leader());
        assertEquals(ErrorCode.TOPIC_ALREADY_EXISTS, rejected(topic("orders", new UUID(1, 1))));
        assertEquals(ErrorCode.INCONSISTENT_TOPIC_ID, rejected(topic("other", TOPIC_ID)));
        assertEquals(ErrorCode.INVALID_TOPIC_EXCEPTION, rejected(topic("bad name", new UUID(1, 1))));
        assertEquals(ErrorCode.INVALID_TOPIC_EXCEPTION, rejected(topic("..", new UUID(1, 1))));
        assertEquals(ErrorCode.UNKNOWN_TOPIC_ID, rejected(partition(new UUID(9, 9), 0, List.of(1))));
        assertEquals(ErrorCode.INVALID_REPLICA_ASSIGNMENT, rejected(partition(TOPIC_ID, 2, List.of(1, 1))));
    }

    @Test
    void partitionChangeIsSparseAndBumpsEpochs() {
        apply(topic("orders", TOPIC_ID), partition(TOPIC_ID, 0, List.of(1, 2, 3)));
        apply(MetadataRecord.newBuilder().setPartitionChange(PartitionChangeRecord.newBuilder()
                .setTopicId(Uuids.toProto(TOPIC_ID)).setPartitionId(0)
                .setIsr(BrokerIdList.newBuilder().addAllIds(List.of(1, 2)))).build());
        PartitionRegistration p = image.topicsById().get(TOPIC_ID).partition(0);
        assertEquals(List.of(1, 2), p.isr());
        assertEquals(1, p.leader());
        assertEquals(0, p.leaderEpoch());
        assertEquals(1, p.partitionEpoch());
        apply(MetadataRecord.newBuilder().setPartitionChange(PartitionChangeRecord.newBuilder()
                .setTopicId(Uuids.toProto(TOPIC_ID)).setPartitionId(0).setLeader(2)).build());
        p = image.topicsById().get(TOPIC_ID).partition(0);
        assertEquals(2, p.leader());
        assertEquals(1, p.leaderEpoch());
        assertEquals(2, p.partitionEpoch());
        // a leader outside the ISR is refused
        assertEquals(ErrorCode.INVALID_REQUEST, rejected(MetadataRecord.newBuilder().setPartitionChange(
                PartitionChangeRecord.newBuilder().setTopicId(Uuids.toProto(TOPIC_ID)).setPartitionId(0)
                        .setLeader(3)).build()));
        assertEquals(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, rejected(MetadataRecord.newBuilder().setPartitionChange(
                PartitionChangeRecord.newBuilder().setTopicId(Uuids.toProto(TOPIC_ID)).setPartitionId(5)).build()));
    }

    @Test
    void removeTopicDropsItsPartitionsAndConfigs() {
        apply(topic("orders", TOPIC_ID), partition(TOPIC_ID, 0, List.of(1)), config("retention.ms", "1000"));
        assertEquals(Map.of("retention.ms", "1000"), image.configs().get(TOPIC_RESOURCE));
        apply(MetadataRecord.newBuilder().setRemoveTopic(RemoveTopicRecord.newBuilder()
                .setTopicId(Uuids.toProto(TOPIC_ID))).build());
        assertTrue(image.topicsByName().isEmpty());
        assertTrue(image.topicsById().isEmpty());
        assertTrue(image.configs().isEmpty());
    }

    private static MetadataRecord config(String key, String value) {
        ConfigRecord.Builder c = ConfigRecord.newBuilder().setResourceType(
                ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC).setResourceName("orders").setName(key);
        if (value != null) {
            c.setValue(value);
        }
        return MetadataRecord.newBuilder().setConfig(c).build();
    }

    @Test
    void configSetAndDelete() {
        assertEquals(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, rejected(config("retention.ms", "1")));
        apply(topic("orders", TOPIC_ID), config("retention.ms", "1000"), config("cleanup.policy", "compact"));
        apply(config("retention.ms", null));
        assertEquals(Map.of("cleanup.policy", "compact"), image.configs().get(TOPIC_RESOURCE));
        apply(config("cleanup.policy", null));
        assertFalse(image.configs().containsKey(TOPIC_RESOURCE));
    }

    @Test
    void producerIdBlocksOnlyMoveForward() {
        apply(MetadataRecord.newBuilder().setProducerIds(ProducerIdsRecord.newBuilder().setBrokerId(1)
                .setBrokerEpoch(3).setNextProducerId(1000)).build());
        assertEquals(1000, image.nextProducerId());
        assertEquals(ErrorCode.INVALID_REQUEST, rejected(MetadataRecord.newBuilder().setProducerIds(
                ProducerIdsRecord.newBuilder().setNextProducerId(1000)).build()));
    }

    @Test
    void offsetCommitAndDelete() {
        MetadataRecord commit = MetadataRecord.newBuilder().setOffsetCommit(OffsetCommitRecord.newBuilder()
                .setGroupId("g").setTopic("orders").setPartition(2).setOffset(17).setLeaderEpoch(4)
                .setMetadata("m").setCommitTimestampMs(1234)).build();
        apply(commit);
        assertEquals(new CommittedOffset(17, 4, "m", 1234),
                image.offsets().get("g").get(new TopicPartition("orders", 2)));
        MetadataRecord delete = MetadataRecord.newBuilder().setOffsetDelete(OffsetDeleteRecord.newBuilder()
                .setGroupId("g").setTopic("orders").setPartition(2)).build();
        apply(delete);
        assertTrue(image.offsets().isEmpty());
        apply(delete); // deleting again is a no-op
        assertTrue(image.offsets().isEmpty());
    }

    @Test
    void emptyRecordIsRejectedAndUntouchedMapsAreShared() {
        assertEquals(ErrorCode.INVALID_REQUEST, rejected(MetadataRecord.getDefaultInstance()));
        apply(topic("orders", TOPIC_ID));
        MetadataImage before = image;
        apply(register(1, 1));
        assertSame(before.topicsById(), image.topicsById());
        assertSame(before.offsets(), image.offsets());
    }
}
