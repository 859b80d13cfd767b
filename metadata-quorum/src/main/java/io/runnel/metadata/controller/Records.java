package io.runnel.metadata.controller;

import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.record.BrokerIdList;
import io.runnel.metadata.record.ConfigRecord;
import io.runnel.metadata.record.ConfigResourceType;
import io.runnel.metadata.record.FenceBrokerRecord;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.OffsetDeleteRecord;
import io.runnel.metadata.record.PartitionChangeRecord;
import io.runnel.metadata.record.UnfenceBrokerRecord;
import java.util.List;
import java.util.UUID;

/** Builders of the metadata records the controller logic emits. */
final class Records {
    private Records() {
    }

    /** A sparse partition change: {@code leader} and {@code isr} are set only when non-null. */
    static MetadataRecord partitionChange(UUID topicId, int partition, Integer leader, List<Integer> isr) {
        PartitionChangeRecord.Builder c = PartitionChangeRecord.newBuilder().setTopicId(Uuids.toProto(topicId))
                .setPartitionId(partition);
        if (leader != null) {
            c.setLeader(leader);
        }
        if (isr != null) {
            c.setIsr(BrokerIdList.newBuilder().addAllIds(isr));
        }
        return MetadataRecord.newBuilder().setPartitionChange(c).build();
    }

    static MetadataRecord fence(int brokerId, long epoch) {
        return MetadataRecord.newBuilder().setFenceBroker(FenceBrokerRecord.newBuilder().setBrokerId(brokerId)
                .setBrokerEpoch(epoch)).build();
    }

    static MetadataRecord unfence(int brokerId, long epoch) {
        return MetadataRecord.newBuilder().setUnfenceBroker(UnfenceBrokerRecord.newBuilder().setBrokerId(brokerId)
                .setBrokerEpoch(epoch)).build();
    }

    /** Sets ({@code value} non-null) or deletes a config key. */
    static MetadataRecord config(ConfigResourceType type, String resource, String key, String value) {
        ConfigRecord.Builder c = ConfigRecord.newBuilder().setResourceType(type).setResourceName(resource)
                .setName(key);
        if (value != null) {
            c.setValue(value);
        }
        return MetadataRecord.newBuilder().setConfig(c).build();
    }

    static MetadataRecord offsetDelete(String group, String topic, int partition) {
        return MetadataRecord.newBuilder().setOffsetDelete(OffsetDeleteRecord.newBuilder().setGroupId(group)
                .setTopic(topic).setPartition(partition)).build();
    }
}
