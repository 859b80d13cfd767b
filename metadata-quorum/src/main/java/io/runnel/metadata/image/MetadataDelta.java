package io.runnel.metadata.image;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.errors.MetadataReplayException;
import io.runnel.metadata.record.ConfigRecord;
import io.runnel.metadata.record.ConfigResourceType;
import io.runnel.metadata.record.FenceBrokerRecord;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.MetadataRecordBatch;
import io.runnel.metadata.record.OffsetCommitRecord;
import io.runnel.metadata.record.OffsetDeleteRecord;
import io.runnel.metadata.record.PartitionChangeRecord;
import io.runnel.metadata.record.PartitionRecord;
import io.runnel.metadata.record.ProducerIdsRecord;
import io.runnel.metadata.record.RegisterBrokerRecord;
import io.runnel.metadata.record.RemoveTopicRecord;
import io.runnel.metadata.record.TopicRecord;
import io.runnel.metadata.record.UnfenceBrokerRecord;
import io.runnel.metadata.record.UnregisterBrokerRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Accumulates metadata records on top of a base {@link MetadataImage}; {@link #apply(MetadataProvenance)} gives the
 * next image. Each record is validated against the state so far and {@link #replay(MetadataRecord)} throws
 * {@link MetadataReplayException} (with a Kafka error code) when it does not fit; the caller then discards the delta,
 * which makes a batch atomic. Replay reads no clock and no randomness, so every node derives the same image.
 *
 * <p>Single-threaded: a delta belongs to the thread replaying the log. Only touched maps are copied.
 */
public final class MetadataDelta {
    private final MetadataImage base;
    private Map<Integer, BrokerRegistration> brokers;
    private Map<UUID, TopicImage> topicsById;
    private Map<String, TopicImage> topicsByName;
    private Map<ConfigResource, Map<String, String>> configs;
    private long nextProducerId;
    private Map<String, Map<TopicPartition, CommittedOffset>> offsets;
    private final TransactionsDelta transactions;
    private int recordCount;

    /** A delta with no records yet on top of {@code base}. */
    public MetadataDelta(MetadataImage base) {
        this.base = base;
        this.transactions = new TransactionsDelta(base);
        this.nextProducerId = base.nextProducerId();
    }

    /** The image this delta started from. */
    public MetadataImage base() {
        return base;
    }

    /** How many records were replayed into this delta. */
    public int recordCount() {
        return recordCount;
    }

    /** Replays every record of the batch, in order. */
    public void replay(MetadataRecordBatch batch) {
        for (MetadataRecord r : batch.getRecordsList()) {
            replay(r);
        }
    }

    /**
     * Replays the batch of the Ratis log entry at {@code entryIndex}: as {@link #replay(MetadataRecordBatch)}, except
     * that a RegisterBrokerRecord with a negative {@code broker_epoch} takes {@code entryIndex} as its epoch (KIP-631:
     * the broker epoch is the log offset of the registration, which the active controller cannot know before Ratis
     * appends the entry). Deterministic: every member sees the same index.
     */
    public void replayEntry(MetadataRecordBatch batch, long entryIndex) {
        for (MetadataRecord r : batch.getRecordsList()) {
            if (r.hasRegisterBroker() && r.getRegisterBroker().getBrokerEpoch() < 0) {
                r = r.toBuilder().setRegisterBroker(r.getRegisterBroker().toBuilder().setBrokerEpoch(entryIndex))
                        .build();
            }
            replay(r);
        }
    }

    /** Replays one record; throws {@link MetadataReplayException} when it is not valid at this point. */
    public void replay(MetadataRecord record) {
        switch (record.getRecordCase()) {
            case REGISTER_BROKER -> replay(record.getRegisterBroker());
            case FENCE_BROKER -> replay(record.getFenceBroker());
            case UNFENCE_BROKER -> replay(record.getUnfenceBroker());
            case TOPIC -> replay(record.getTopic());
            case PARTITION -> replay(record.getPartition());
            case PARTITION_CHANGE -> replay(record.getPartitionChange());
            case REMOVE_TOPIC -> replay(record.getRemoveTopic());
            case CONFIG -> replay(record.getConfig());
            case PRODUCER_IDS -> replay(record.getProducerIds());
            case OFFSET_COMMIT -> replay(record.getOffsetCommit());
            case OFFSET_DELETE -> replay(record.getOffsetDelete());
            case UNREGISTER_BROKER -> replay(record.getUnregisterBroker());
            case TRANSACTION -> transactions.replay(record.getTransaction());
            case TRANSACTION_REMOVE -> transactions.replay(record.getTransactionRemove());
            case TXN_OFFSET_COMMIT -> transactions.replay(record.getTxnOffsetCommit());
            case TXN_OFFSETS_CLEAR -> transactions.replay(record.getTxnOffsetsClear());
            default -> throw new MetadataReplayException(ErrorCode.INVALID_REQUEST,
                    "Unknown or empty metadata record: " + record.getRecordCase());
        }
        recordCount++;
    }

    private void replay(RegisterBrokerRecord r) {
        if (r.getBrokerId() < 0) {
            throw invalid("Broker id must be non-negative: " + r.getBrokerId());
        }
        BrokerRegistration previous = brokers().get(r.getBrokerId());
        if (previous != null && r.getBrokerEpoch() <= previous.epoch()) {
            throw new MetadataReplayException(ErrorCode.STALE_BROKER_EPOCH, "Broker " + r.getBrokerId()
                    + " registers with epoch " + r.getBrokerEpoch() + " not above " + previous.epoch());
        }
        List<BrokerEndpoint> endpoints = new ArrayList<>();
        r.getEndpointsList().forEach(e -> endpoints.add(new BrokerEndpoint(e.getListenerName(), e.getHost(),
                e.getPort(), e.getSecurityProtocol())));
        brokers().put(r.getBrokerId(), new BrokerRegistration(r.getBrokerId(), Uuids.fromProto(r.getIncarnationId()),
                r.getBrokerEpoch(), endpoints, r.hasRack() ? r.getRack() : null, r.getFenced()));
    }

    private void replay(FenceBrokerRecord r) {
        brokers().put(r.getBrokerId(), registered(r.getBrokerId(), r.getBrokerEpoch()).withFenced(true));
    }

    private void replay(UnfenceBrokerRecord r) {
        brokers().put(r.getBrokerId(), registered(r.getBrokerId(), r.getBrokerEpoch()).withFenced(false));
    }

    private void replay(UnregisterBrokerRecord r) {
        registered(r.getBrokerId(), r.getBrokerEpoch());
        brokers().remove(r.getBrokerId());
    }

    private BrokerRegistration registered(int brokerId, long epoch) {
        BrokerRegistration b = brokers().get(brokerId);
        if (b == null) {
            throw new MetadataReplayException(ErrorCode.BROKER_ID_NOT_REGISTERED, "Broker " + brokerId
                    + " is not registered");
        }
        if (b.epoch() != epoch) {
            throw new MetadataReplayException(ErrorCode.STALE_BROKER_EPOCH, "Broker " + brokerId + " has epoch "
                    + b.epoch() + ", the record names " + epoch);
        }
        return b;
    }

    private void replay(TopicRecord r) {
        String reason = TopicNames.invalidReason(r.getName());
        if (reason != null) {
            throw new MetadataReplayException(ErrorCode.INVALID_TOPIC_EXCEPTION, reason);
        }
        UUID id = Uuids.fromProto(r.getTopicId());
        if (topicsByName().containsKey(r.getName())) {
            throw new MetadataReplayException(ErrorCode.TOPIC_ALREADY_EXISTS, "Topic '" + r.getName()
                    + "' already exists");
        }
        if (id.getMostSignificantBits() == 0 && id.getLeastSignificantBits() == 0 || topicsById().containsKey(id)) {
            throw new MetadataReplayException(ErrorCode.INCONSISTENT_TOPIC_ID, "Topic id " + id
                    + " is zero or taken");
        }
        putTopic(new TopicImage(r.getName(), id, Map.of()));
    }

    private void replay(PartitionRecord r) {
        TopicImage topic = topic(Uuids.fromProto(r.getTopicId()));
        if (r.getPartitionId() < 0) {
            throw invalid("Partition id must be non-negative: " + r.getPartitionId());
        }
        putPartition(topic, r.getPartitionId(), PartitionRegistration.fromRecord(r));
    }

    private void replay(PartitionChangeRecord r) {
        TopicImage topic = topic(Uuids.fromProto(r.getTopicId()));
        PartitionRegistration p = topic.partition(r.getPartitionId());
        if (p == null) {
            throw new MetadataReplayException(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + topic.name()
                    + "' has no partition " + r.getPartitionId());
        }
        putPartition(topic, r.getPartitionId(), p.merge(r));
    }

    private void replay(RemoveTopicRecord r) {
        TopicImage topic = topic(Uuids.fromProto(r.getTopicId()));
        topicsById().remove(topic.id());
        topicsByName().remove(topic.name());
        configs().remove(new ConfigResource(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, topic.name()));
    }

    private void replay(ConfigRecord r) {
        ConfigResourceType type = r.getResourceType();
        if (type != ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC
                && type != ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER) {
            throw invalid("Unsupported config resource type: " + r.getResourceTypeValue());
        }
        if (type == ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC
                && !topicsByName().containsKey(r.getResourceName())) {
            throw new MetadataReplayException(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Config for unknown topic '"
                    + r.getResourceName() + "'");
        }
        if (r.getName().isEmpty()) {
            throw new MetadataReplayException(ErrorCode.INVALID_CONFIG, "Config key is empty");
        }
        ConfigResource resource = new ConfigResource(type, r.getResourceName());
        Map<String, String> keys = new HashMap<>(configs().getOrDefault(resource, Map.of()));
        if (r.hasValue()) {
            keys.put(r.getName(), r.getValue());
        } else {
            keys.remove(r.getName());
        }
        if (keys.isEmpty()) {
            configs().remove(resource);
        } else {
            configs().put(resource, Map.copyOf(keys));
        }
    }

    private void replay(ProducerIdsRecord r) {
        if (r.getNextProducerId() <= nextProducerId) {
            throw invalid("Next producer id " + r.getNextProducerId() + " does not move past " + nextProducerId);
        }
        nextProducerId = r.getNextProducerId();
    }

    private void replay(OffsetCommitRecord r) {
        if (r.getGroupId().isEmpty() || r.getPartition() < 0 || r.getOffset() < 0) {
            throw invalid("Offset commit needs a group id, a partition >= 0 and an offset >= 0: " + r);
        }
        Map<TopicPartition, CommittedOffset> group = new HashMap<>(offsets().getOrDefault(r.getGroupId(), Map.of()));
        group.put(new TopicPartition(r.getTopic(), r.getPartition()), new CommittedOffset(r.getOffset(),
                r.getLeaderEpoch(), r.getMetadata(), r.getCommitTimestampMs()));
        offsets().put(r.getGroupId(), Map.copyOf(group));
    }

    private void replay(OffsetDeleteRecord r) {
        Map<TopicPartition, CommittedOffset> existing = offsets().get(r.getGroupId());
        TopicPartition tp = new TopicPartition(r.getTopic(), r.getPartition());
        if (existing == null || !existing.containsKey(tp)) {
            return; // deleting what is not there is a no-op, as Kafka's OffsetDelete is
        }
        Map<TopicPartition, CommittedOffset> group = new HashMap<>(existing);
        group.remove(tp);
        if (group.isEmpty()) {
            offsets().remove(r.getGroupId());
        } else {
            offsets().put(r.getGroupId(), Map.copyOf(group));
        }
    }

    private TopicImage topic(UUID id) {
        TopicImage t = topicsById().get(id);
        if (t == null) {
            throw new MetadataReplayException(ErrorCode.UNKNOWN_TOPIC_ID, "Unknown topic id " + id);
        }
        return t;
    }

    private void putPartition(TopicImage topic, int partitionId, PartitionRegistration p) {
        Map<Integer, PartitionRegistration> partitions = new HashMap<>(topic.partitions());
        partitions.put(partitionId, p);
        putTopic(new TopicImage(topic.name(), topic.id(), partitions));
    }

    private void putTopic(TopicImage t) {
        topicsById().put(t.id(), t);
        topicsByName().put(t.name(), t);
    }

    private static MetadataReplayException invalid(String message) {
        return new MetadataReplayException(ErrorCode.INVALID_REQUEST, message);
    }

    private Map<Integer, BrokerRegistration> brokers() {
        if (brokers == null) {
            brokers = new HashMap<>(base.brokers());
        }
        return brokers;
    }

    private Map<UUID, TopicImage> topicsById() {
        if (topicsById == null) {
            topicsById = new HashMap<>(base.topicsById());
        }
        return topicsById;
    }

    private Map<String, TopicImage> topicsByName() {
        if (topicsByName == null) {
            topicsByName = new HashMap<>(base.topicsByName());
        }
        return topicsByName;
    }

    private Map<ConfigResource, Map<String, String>> configs() {
        if (configs == null) {
            configs = new HashMap<>(base.configs());
        }
        return configs;
    }

    private Map<String, Map<TopicPartition, CommittedOffset>> offsets() {
        if (offsets == null) {
            offsets = new HashMap<>(base.offsets());
        }
        return offsets;
    }

    /** The image after every record replayed so far, reflecting the log entry {@code provenance}. */
    public MetadataImage apply(MetadataProvenance provenance) {
        return new MetadataImage(base.clusterId(), provenance,
                brokers == null ? base.brokers() : Map.copyOf(brokers),
                topicsById == null ? base.topicsById() : Map.copyOf(topicsById),
                topicsByName == null ? base.topicsByName() : Map.copyOf(topicsByName),
                configs == null ? base.configs() : Map.copyOf(configs),
                nextProducerId,
                offsets == null ? base.offsets() : Map.copyOf(offsets),
                transactions.transactionsImage(), transactions.pendingImage());
    }
}
