package io.runnel.metadata.controller;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.CommittedOffset;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.image.TransactionState;
import io.runnel.metadata.image.TxnState;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.OffsetCommitRecord;
import io.runnel.metadata.record.TransactionRecord;
import io.runnel.metadata.record.TransactionRemoveRecord;
import io.runnel.metadata.record.TxnOffsetsClearRecord;
import io.runnel.metadata.record.TxnPartition;
import io.runnel.metadata.rpc.WriteTransactionRequest;
import io.runnel.metadata.rpc.WriteTransactionResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The transaction coordinator's state writes (KIP-98; Runnel's replacement of appending to Kafka's {@code
 * __transaction_state}): one WriteTransactionRequest becomes one batch, compare-and-set on the transactional id's
 * version. Ending a transaction moves its pending transactional offsets in the same batch, so a commit and its
 * offsets become visible atomically.
 *
 * <p>Errors (whole request, in the response's {@code error_code}): INVALID_REQUEST (42) for an empty transactional
 * id, an unknown state, or an empty topic / negative partition / empty group; CONCURRENT_TRANSACTIONS (51) when the
 * id's current version (0 when absent) is not {@code expected_version}, with {@code current} set when the id exists.
 */
public final class TransactionWrites {
    private static final Set<TxnState> COMMITTING = EnumSet.of(TxnState.PREPARE_COMMIT, TxnState.COMPLETE_COMMIT);
    private static final Set<TxnState> ABORTING = EnumSet.of(TxnState.PREPARE_ABORT, TxnState.COMPLETE_ABORT,
            TxnState.PREPARE_EPOCH_FENCE);

    private TransactionWrites() {
    }

    /**
     * Decides one write against {@code image}. On success the records are: with {@code remove}, a
     * TransactionRemoveRecord plus a TxnOffsetsClearRecord per group holding pending offsets of the removed state's
     * producer id (nothing at all when the id is absent; the response's version is then 0); otherwise the
     * TransactionRecord with version {@code expected_version + 1} (partitions and groups sorted, duplicates dropped),
     * followed, when it leaves ONGOING, by the commit (OffsetCommitRecords, then TxnOffsetsClearRecord per group of
     * the new record) or the abort (TxnOffsetsClearRecord per group of the current state) of its pending offsets.
     * The response's {@code version} is the version written.
     */
    public static ControllerResult<WriteTransactionResponse> write(MetadataImage image, WriteTransactionRequest req) {
        TransactionRecord asked = req.getRecord();
        String id = asked.getTransactionalId();
        if (id.isEmpty()) {
            return failed(ApiError.of(ErrorCode.INVALID_REQUEST, "The transactional id is empty"), null);
        }
        TransactionState current = image.transactions().get(id);
        long currentVersion = current == null ? 0 : current.version();
        if (currentVersion != req.getExpectedVersion()) {
            return failed(ApiError.of(ErrorCode.CONCURRENT_TRANSACTIONS, "Transactional id '" + id + "' is at version "
                    + currentVersion + ", not " + req.getExpectedVersion()), current);
        }
        List<MetadataRecord> records = new ArrayList<>();
        if (req.getRemove()) {
            if (current == null) {
                return new ControllerResult<>(records, WriteTransactionResponse.newBuilder().setVersion(0).build());
            }
            records.add(MetadataRecord.newBuilder().setTransactionRemove(TransactionRemoveRecord.newBuilder()
                    .setTransactionalId(id)).build());
            clearPending(image, current.producerId(), new TreeMap<>(image.pendingTxnOffsets()).keySet(), records);
            return new ControllerResult<>(records, WriteTransactionResponse.newBuilder().setVersion(0).build());
        }
        TxnState state = TxnState.fromProto(asked.getState());
        if (state == null) {
            return failed(ApiError.of(ErrorCode.INVALID_REQUEST, "Unknown transaction state "
                    + asked.getStateValue()), null);
        }
        TransactionRecord canonical;
        try {
            canonical = canonical(asked, currentVersion + 1);
        } catch (IllegalArgumentException e) {
            return failed(ApiError.of(ErrorCode.INVALID_REQUEST, e.getMessage()), null);
        }
        records.add(MetadataRecord.newBuilder().setTransaction(canonical).build());
        if (current != null && current.state() == TxnState.ONGOING) {
            if (COMMITTING.contains(state)) {
                commitPending(image, canonical.getProducerId(), new TreeSet<>(canonical.getGroupsList()), records);
            } else if (ABORTING.contains(state)) {
                clearPending(image, current.producerId(), current.groups(), records);
            }
        }
        return new ControllerResult<>(records, WriteTransactionResponse.newBuilder()
                .setVersion(canonical.getVersion()).build());
    }

    /** The record with sorted, unique partitions and groups and the given version; rejects malformed entries. */
    private static TransactionRecord canonical(TransactionRecord r, long version) {
        Set<TopicPartition> partitions = new TreeSet<>();
        for (TxnPartition p : r.getPartitionsList()) {
            if (p.getTopic().isEmpty() || p.getPartition() < 0) {
                throw new IllegalArgumentException("Invalid transaction partition '" + p.getTopic() + "'-"
                        + p.getPartition());
            }
            partitions.add(new TopicPartition(p.getTopic(), p.getPartition()));
        }
        Set<String> groups = new TreeSet<>(r.getGroupsList());
        if (groups.contains("")) {
            throw new IllegalArgumentException("Empty group id in the transaction");
        }
        TransactionRecord.Builder b = r.toBuilder().clearPartitions().clearGroups().addAllGroups(groups)
                .setVersion(version);
        partitions.forEach(tp -> b.addPartitions(TxnPartition.newBuilder().setTopic(tp.topic())
                .setPartition(tp.partition())));
        return b.build();
    }

    /** For each group: the producer's pending offsets as committed offsets (existing partitions only), then clear. */
    private static void commitPending(MetadataImage image, long producerId, Set<String> groups,
                                      List<MetadataRecord> records) {
        for (String group : groups) {
            Map<TopicPartition, CommittedOffset> offsets = pending(image, group, producerId);
            if (offsets == null) {
                continue;
            }
            new TreeMap<>(offsets).forEach((tp, o) -> {
                TopicImage t = image.topicsByName().get(tp.topic());
                if (t != null && t.partition(tp.partition()) != null) {
                    records.add(MetadataRecord.newBuilder().setOffsetCommit(OffsetCommitRecord.newBuilder()
                            .setGroupId(group).setTopic(tp.topic()).setPartition(tp.partition())
                            .setOffset(o.offset()).setLeaderEpoch(o.leaderEpoch()).setMetadata(o.metadata())
                            .setCommitTimestampMs(o.commitTimestampMs())).build());
                }
            });
            records.add(clear(group, producerId));
        }
    }

    /** A TxnOffsetsClearRecord for each of {@code groups} (in order) holding pending offsets of the producer. */
    private static void clearPending(MetadataImage image, long producerId, Set<String> groups,
                                     List<MetadataRecord> records) {
        for (String group : groups) {
            if (pending(image, group, producerId) != null) {
                records.add(clear(group, producerId));
            }
        }
    }

    private static Map<TopicPartition, CommittedOffset> pending(MetadataImage image, String group, long producerId) {
        return image.pendingTxnOffsets().getOrDefault(group, Map.of()).get(producerId);
    }

    /** The record that drops every pending transactional offset of {@code producerId} in {@code group}. */
    static MetadataRecord clear(String group, long producerId) {
        return MetadataRecord.newBuilder().setTxnOffsetsClear(TxnOffsetsClearRecord.newBuilder().setGroupId(group)
                .setProducerId(producerId)).build();
    }

    private static ControllerResult<WriteTransactionResponse> failed(ApiError e, TransactionState current) {
        WriteTransactionResponse.Builder b = WriteTransactionResponse.newBuilder().setErrorCode(e.error().code())
                .setErrorMessage(e.message());
        if (current != null) {
            b.setCurrent(current.toRecord());
        }
        return new ControllerResult<>(List.of(), b.build());
    }
}
