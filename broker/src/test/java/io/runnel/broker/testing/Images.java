package io.runnel.broker.testing;

import io.runnel.metadata.image.MetadataDelta;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.MetadataProvenance;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.record.BrokerEndpoint;
import io.runnel.metadata.record.ConfigRecord;
import io.runnel.metadata.record.ConfigResourceType;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.PartitionChangeRecord;
import io.runnel.metadata.record.PartitionRecord;
import io.runnel.metadata.record.BrokerIdList;
import io.runnel.metadata.record.RegisterBrokerRecord;
import io.runnel.metadata.record.RemoveTopicRecord;
import io.runnel.metadata.record.TopicRecord;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds metadata images for tests by replaying records, as brokers do. */
public final class Images {
    private Images() {
    }

    /** The image after {@code records} on top of {@code base}. */
    public static MetadataImage apply(MetadataImage base, List<MetadataRecord> records) {
        MetadataDelta d = new MetadataDelta(base);
        records.forEach(d::replay);
        return d.apply(new MetadataProvenance(1, base.provenance().index() + 1));
    }

    /** An unfenced broker with a PLAINTEXT endpoint. */
    public static MetadataRecord broker(int id, String host, int port) {
        return MetadataRecord.newBuilder().setRegisterBroker(RegisterBrokerRecord.newBuilder().setBrokerId(id)
                .setIncarnationId(Uuids.toProto(new UUID(7, id))).setBrokerEpoch(id)
                .addEndpoints(BrokerEndpoint.newBuilder().setListenerName("PLAINTEXT").setHost(host).setPort(port)
                        .setSecurityProtocol("PLAINTEXT"))
                .setFenced(false)).build();
    }

    public static MetadataRecord topic(String name, UUID id) {
        return MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName(name)
                .setTopicId(Uuids.toProto(id))).build();
    }

    public static MetadataRecord removeTopic(UUID id) {
        return MetadataRecord.newBuilder().setRemoveTopic(RemoveTopicRecord.newBuilder()
                .setTopicId(Uuids.toProto(id))).build();
    }

    /** A partition with the given replicas, all in sync, led by {@code leader} at {@code epoch}. */
    public static MetadataRecord partition(UUID topicId, int partition, List<Integer> replicas, int leader,
                                           int epoch) {
        return MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder()
                .setTopicId(Uuids.toProto(topicId)).setPartitionId(partition).addAllReplicas(replicas)
                .addAllIsr(replicas).setLeader(leader).setLeaderEpoch(epoch).setPartitionEpoch(epoch)).build();
    }

    /** A partition change: a new ISR, and a new leader (bumping the leader epoch) when {@code leader} is not null. */
    public static MetadataRecord partitionChange(UUID topicId, int partition, Integer leader, List<Integer> isr) {
        PartitionChangeRecord.Builder b = PartitionChangeRecord.newBuilder().setTopicId(Uuids.toProto(topicId))
                .setPartitionId(partition).setIsr(BrokerIdList.newBuilder().addAllIds(isr));
        if (leader != null) {
            b.setLeader(leader);
        }
        return MetadataRecord.newBuilder().setPartitionChange(b).build();
    }

    public static MetadataRecord topicConfig(String topic, String key, String value) {
        return MetadataRecord.newBuilder().setConfig(ConfigRecord.newBuilder()
                .setResourceType(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC).setResourceName(topic)
                .setName(key).setValue(value)).build();
    }

    /** Records of a topic with {@code partitions} partitions on broker {@code brokerId}, plus topic configs. */
    public static List<MetadataRecord> topicOnBroker(String name, UUID id, int partitions, int brokerId,
                                                     Map<String, String> configs) {
        List<MetadataRecord> records = new java.util.ArrayList<>();
        records.add(topic(name, id));
        for (int p = 0; p < partitions; p++) {
            records.add(partition(id, p, List.of(brokerId), brokerId, 0));
        }
        configs.forEach((k, v) -> records.add(topicConfig(name, k, v)));
        return records;
    }
}
