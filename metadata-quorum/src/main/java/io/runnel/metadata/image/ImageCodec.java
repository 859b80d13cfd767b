package io.runnel.metadata.image;

import com.google.protobuf.InvalidProtocolBufferException;
import io.runnel.metadata.errors.MetadataReplayException;
import io.runnel.metadata.record.ConfigRecord;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.MetadataSnapshot;
import io.runnel.metadata.record.OffsetCommitRecord;
import io.runnel.metadata.record.PartitionRecord;
import io.runnel.metadata.record.ProducerIdsRecord;
import io.runnel.metadata.record.RegisterBrokerRecord;
import io.runnel.metadata.record.TopicRecord;
import io.runnel.metadata.record.TopicSnapshot;
import io.runnel.metadata.record.TxnOffsetCommitRecord;
import java.util.TreeMap;

/**
 * {@link MetadataImage} to and from its canonical protobuf form, {@link MetadataSnapshot}. Canonical: every list is
 * sorted (brokers by id, topics by name, partitions by id, configs by resource then key, offsets by group then
 * partition, transactions by id with sorted partitions and groups, pending transactional offsets by group, producer
 * id, then partition) and no protobuf maps are used, so equal images give equal bytes.
 *
 * <p>Decoding replays the snapshot's content as records through a {@link MetadataDelta}, so a snapshot is checked
 * by exactly the rules the log is; an inconsistent snapshot raises {@link MetadataReplayException}.
 */
public final class ImageCodec {
    /** The {@code format_version} this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private ImageCodec() {
    }

    public static byte[] toBytes(MetadataImage image) {
        return toSnapshot(image).toByteArray();
    }

    /**
     * Parses canonical bytes. Throws {@link InvalidProtocolBufferException} for bytes that are not a snapshot and
     * {@link MetadataReplayException} for a snapshot whose content is inconsistent or of another format version.
     */
    public static MetadataImage fromBytes(byte[] bytes) throws InvalidProtocolBufferException {
        return fromSnapshot(MetadataSnapshot.parseFrom(bytes));
    }

    public static MetadataSnapshot toSnapshot(MetadataImage image) {
        MetadataSnapshot.Builder b = MetadataSnapshot.newBuilder().setFormatVersion(FORMAT_VERSION)
                .setClusterId(image.clusterId()).setTerm(image.provenance().term())
                .setIndex(image.provenance().index()).setNextProducerId(image.nextProducerId());
        new TreeMap<>(image.brokers()).values().forEach(broker -> b.addBrokers(toRecord(broker)));
        new TreeMap<>(image.topicsByName()).values().forEach(topic -> {
            TopicSnapshot.Builder t = TopicSnapshot.newBuilder().setName(topic.name())
                    .setTopicId(Uuids.toProto(topic.id()));
            new TreeMap<>(topic.partitions()).forEach((id, p) -> t.addPartitions(p.toRecord(topic.id(), id)));
            b.addTopics(t);
        });
        new TreeMap<>(image.configs()).forEach((resource, keys) -> new TreeMap<>(keys).forEach((key, value) ->
                b.addConfigs(ConfigRecord.newBuilder().setResourceType(resource.type())
                        .setResourceName(resource.name()).setName(key).setValue(value))));
        new TreeMap<>(image.offsets()).forEach((group, partitions) -> new TreeMap<>(partitions).forEach((tp, o) ->
                b.addOffsets(OffsetCommitRecord.newBuilder().setGroupId(group).setTopic(tp.topic())
                        .setPartition(tp.partition()).setOffset(o.offset()).setLeaderEpoch(o.leaderEpoch())
                        .setMetadata(o.metadata()).setCommitTimestampMs(o.commitTimestampMs()))));
        new TreeMap<>(image.transactions()).values().forEach(t -> b.addTransactions(t.toRecord()));
        new TreeMap<>(image.pendingTxnOffsets()).forEach((group, producers) -> new TreeMap<>(producers).forEach(
                (pid, partitions) -> new TreeMap<>(partitions).forEach((tp, o) -> b.addPendingTxnOffsets(
                        TxnOffsetCommitRecord.newBuilder().setGroupId(group).setProducerId(pid).setTopic(tp.topic())
                                .setPartition(tp.partition()).setOffset(o.offset()).setLeaderEpoch(o.leaderEpoch())
                                .setMetadata(o.metadata()).setCommitTimestampMs(o.commitTimestampMs())))));
        return b.build();
    }

    public static MetadataImage fromSnapshot(MetadataSnapshot s) {
        if (s.getFormatVersion() != FORMAT_VERSION) {
            throw new MetadataReplayException(io.runnel.metadata.errors.ErrorCode.INVALID_REQUEST,
                    "Unsupported snapshot format version " + s.getFormatVersion() + " (expected " + FORMAT_VERSION
                            + ")");
        }
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty(s.getClusterId()));
        s.getBrokersList().forEach(r -> delta.replay(MetadataRecord.newBuilder().setRegisterBroker(r).build()));
        for (TopicSnapshot t : s.getTopicsList()) {
            delta.replay(MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName(t.getName())
                    .setTopicId(t.getTopicId())).build());
            for (PartitionRecord p : t.getPartitionsList()) {
                delta.replay(MetadataRecord.newBuilder().setPartition(p).build());
            }
        }
        s.getConfigsList().forEach(r -> delta.replay(MetadataRecord.newBuilder().setConfig(r).build()));
        if (s.getNextProducerId() != 0) {
            delta.replay(MetadataRecord.newBuilder().setProducerIds(ProducerIdsRecord.newBuilder()
                    .setNextProducerId(s.getNextProducerId())).build());
        }
        s.getOffsetsList().forEach(r -> delta.replay(MetadataRecord.newBuilder().setOffsetCommit(r).build()));
        s.getTransactionsList().forEach(r -> delta.replay(MetadataRecord.newBuilder().setTransaction(r).build()));
        s.getPendingTxnOffsetsList().forEach(r -> delta.replay(MetadataRecord.newBuilder().setTxnOffsetCommit(r)
                .build()));
        return delta.apply(new MetadataProvenance(s.getTerm(), s.getIndex()));
    }

    /** The record that recreates a broker registration. */
    public static RegisterBrokerRecord toRecord(BrokerRegistration broker) {
        RegisterBrokerRecord.Builder r = RegisterBrokerRecord.newBuilder().setBrokerId(broker.id())
                .setIncarnationId(Uuids.toProto(broker.incarnationId())).setBrokerEpoch(broker.epoch())
                .setFenced(broker.fenced());
        broker.endpoints().forEach(e -> r.addEndpoints(io.runnel.metadata.record.BrokerEndpoint.newBuilder()
                .setListenerName(e.listenerName()).setHost(e.host()).setPort(e.port())
                .setSecurityProtocol(e.securityProtocol())));
        if (broker.rack() != null) {
            r.setRack(broker.rack());
        }
        return r.build();
    }
}
