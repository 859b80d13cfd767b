package io.runnel.metadata.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The cluster metadata as of one Ratis log entry: brokers, topics (by name and by id) with their partitions, dynamic
 * configs, the next free producer id, consumer groups' committed offsets, transaction coordinator state and
 * pending transactional offsets. Immutable and safe to share across
 * threads; a {@link MetadataDelta} derives the next image, sharing every unchanged map with this one.
 *
 * <p>Equality is by content, provenance and cluster id included. {@link #digest()} is the SHA-256 of the canonical
 * snapshot bytes ({@link ImageCodec}), so equal images have equal digests on every node.
 */
public final class MetadataImage {
    private final String clusterId;
    private final MetadataProvenance provenance;
    private final Map<Integer, BrokerRegistration> brokers;
    private final Map<UUID, TopicImage> topicsById;
    private final Map<String, TopicImage> topicsByName;
    private final Map<ConfigResource, Map<String, String>> configs;
    private final long nextProducerId;
    private final Map<String, Map<TopicPartition, CommittedOffset>> offsets;
    private final Map<String, TransactionState> transactions;
    private final Map<String, Map<Long, Map<TopicPartition, CommittedOffset>>> pendingTxnOffsets;

    MetadataImage(String clusterId, MetadataProvenance provenance, Map<Integer, BrokerRegistration> brokers,
                  Map<UUID, TopicImage> topicsById, Map<String, TopicImage> topicsByName,
                  Map<ConfigResource, Map<String, String>> configs, long nextProducerId,
                  Map<String, Map<TopicPartition, CommittedOffset>> offsets,
                  Map<String, TransactionState> transactions,
                  Map<String, Map<Long, Map<TopicPartition, CommittedOffset>>> pendingTxnOffsets) {
        this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
        this.provenance = Objects.requireNonNull(provenance, "provenance");
        this.brokers = brokers;
        this.topicsById = topicsById;
        this.topicsByName = topicsByName;
        this.configs = configs;
        this.nextProducerId = nextProducerId;
        this.offsets = offsets;
        this.transactions = transactions;
        this.pendingTxnOffsets = pendingTxnOffsets;
    }

    /** The image of a cluster before its first log entry. */
    public static MetadataImage empty(String clusterId) {
        return new MetadataImage(clusterId, MetadataProvenance.EMPTY, Map.of(), Map.of(), Map.of(), Map.of(), 0L,
                Map.of(), Map.of(), Map.of());
    }

    public String clusterId() {
        return clusterId;
    }

    public MetadataProvenance provenance() {
        return provenance;
    }

    /** Registered brokers (fenced or not) by broker id. */
    public Map<Integer, BrokerRegistration> brokers() {
        return brokers;
    }

    public Map<UUID, TopicImage> topicsById() {
        return topicsById;
    }

    public Map<String, TopicImage> topicsByName() {
        return topicsByName;
    }

    /** Dynamic configs (only keys explicitly set) per resource; resources without keys are absent. */
    public Map<ConfigResource, Map<String, String>> configs() {
        return configs;
    }

    /** The first producer id no block has claimed yet (0 before any allocation). */
    public long nextProducerId() {
        return nextProducerId;
    }

    /** Committed offsets per group id; groups without offsets are absent. */
    public Map<String, Map<TopicPartition, CommittedOffset>> offsets() {
        return offsets;
    }

    /**
     * Transaction coordinator state (KIP-98) by transactional id; ids never written or removed (expired) are absent.
     * Unmodifiable.
     */
    public Map<String, TransactionState> transactions() {
        return transactions;
    }

    /**
     * Pending transactional offsets (TxnOffsetCommit, not yet committed or aborted): group id, then producer id, then
     * partition. Groups and producers without pending offsets are absent. Unmodifiable at every level.
     */
    public Map<String, Map<Long, Map<TopicPartition, CommittedOffset>>> pendingTxnOffsets() {
        return pendingTxnOffsets;
    }

    /** The same content, claimed to reflect another log entry (a snapshot taken after config-only entries). */
    public MetadataImage withProvenance(MetadataProvenance newProvenance) {
        return new MetadataImage(clusterId, newProvenance, brokers, topicsById, topicsByName, configs, nextProducerId,
                offsets, transactions, pendingTxnOffsets);
    }

    /** SHA-256 of {@link ImageCodec#toBytes(MetadataImage)}, as 64 lowercase hex digits. */
    public String digest() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ImageCodec.toBytes(this)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MetadataImage other)) {
            return false;
        }
        return nextProducerId == other.nextProducerId && clusterId.equals(other.clusterId)
                && provenance.equals(other.provenance) && brokers.equals(other.brokers)
                && topicsById.equals(other.topicsById) && configs.equals(other.configs)
                && offsets.equals(other.offsets) && transactions.equals(other.transactions)
                && pendingTxnOffsets.equals(other.pendingTxnOffsets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(clusterId, provenance, brokers, topicsById, configs, nextProducerId, offsets,
                transactions, pendingTxnOffsets);
    }

    @Override
    public String toString() {
        return "MetadataImage{cluster=" + clusterId + ", provenance=" + provenance + ", brokers=" + brokers.keySet()
                + ", topics=" + topicsByName.keySet() + ", configs=" + configs.size() + ", nextProducerId="
                + nextProducerId + ", groups=" + offsets.keySet() + ", transactions=" + transactions.keySet()
                + ", pendingTxnOffsetGroups=" + pendingTxnOffsets.keySet() + "}";
    }
}
