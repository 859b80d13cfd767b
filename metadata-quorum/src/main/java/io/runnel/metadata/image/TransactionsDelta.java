package io.runnel.metadata.image;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.errors.MetadataReplayException;
import io.runnel.metadata.record.TransactionRecord;
import io.runnel.metadata.record.TransactionRemoveRecord;
import io.runnel.metadata.record.TxnOffsetCommitRecord;
import io.runnel.metadata.record.TxnOffsetsClearRecord;
import io.runnel.metadata.record.TxnPartition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The transaction part of a {@link MetadataDelta}: replays TransactionRecord, TransactionRemoveRecord,
 * TxnOffsetCommitRecord and TxnOffsetsClearRecord on top of a base image's {@link MetadataImage#transactions()} and
 * {@link MetadataImage#pendingTxnOffsets()}, copying a map only once it changes. Invalid records raise {@link
 * MetadataReplayException}: INVALID_REQUEST (42) for a malformed record, CONCURRENT_TRANSACTIONS (51) for a
 * TransactionRecord whose version is not the next one. Single-threaded, like its delta.
 */
final class TransactionsDelta {
    private final MetadataImage base;
    private Map<String, TransactionState> transactions;
    private Map<String, Map<Long, Map<TopicPartition, CommittedOffset>>> pending;

    TransactionsDelta(MetadataImage base) {
        this.base = base;
    }

    void replay(TransactionRecord r) {
        if (r.getTransactionalId().isEmpty()) {
            throw invalid("Transaction record without a transactional id");
        }
        if (TxnState.fromProto(r.getState()) == null) {
            throw invalid("Transaction record with unknown state " + r.getStateValue());
        }
        checkSorted(r);
        TransactionState current = transactions().get(r.getTransactionalId());
        long expected = current == null ? -1 : current.version() + 1;
        if (current == null ? r.getVersion() < 1 : r.getVersion() != expected) {
            throw new MetadataReplayException(ErrorCode.CONCURRENT_TRANSACTIONS, "Transactional id '"
                    + r.getTransactionalId() + "' is at version " + (current == null ? 0 : current.version())
                    + ", the record carries version " + r.getVersion());
        }
        transactions().put(r.getTransactionalId(), TransactionState.fromRecord(r));
    }

    private static void checkSorted(TransactionRecord r) {
        List<TxnPartition> ps = r.getPartitionsList();
        for (int i = 0; i < ps.size(); i++) {
            TxnPartition p = ps.get(i);
            if (p.getTopic().isEmpty() || p.getPartition() < 0) {
                throw invalid("Transaction partition needs a topic and a partition >= 0: " + p);
            }
            if (i > 0 && new TopicPartition(ps.get(i - 1).getTopic(), ps.get(i - 1).getPartition())
                    .compareTo(new TopicPartition(p.getTopic(), p.getPartition())) >= 0) {
                throw invalid("Transaction partitions must be sorted and unique: " + r.getTransactionalId());
            }
        }
        List<String> gs = r.getGroupsList();
        for (int i = 0; i < gs.size(); i++) {
            if (gs.get(i).isEmpty() || i > 0 && gs.get(i - 1).compareTo(gs.get(i)) >= 0) {
                throw invalid("Transaction groups must be non-empty, sorted and unique: " + r.getTransactionalId());
            }
        }
    }

    void replay(TransactionRemoveRecord r) {
        if (r.getTransactionalId().isEmpty()) {
            throw invalid("Transaction removal without a transactional id");
        }
        transactions().remove(r.getTransactionalId()); // removing an absent id is a no-op
    }

    void replay(TxnOffsetCommitRecord r) {
        if (r.getGroupId().isEmpty() || r.getProducerId() < 0 || r.getTopic().isEmpty() || r.getPartition() < 0
                || r.getOffset() < 0) {
            throw invalid("Transactional offset needs a group id, a producer id >= 0, a topic, a partition >= 0 "
                    + "and an offset >= 0: " + r);
        }
        Map<Long, Map<TopicPartition, CommittedOffset>> group = new HashMap<>(pending().getOrDefault(
                r.getGroupId(), Map.of()));
        Map<TopicPartition, CommittedOffset> offsets = new HashMap<>(group.getOrDefault(r.getProducerId(),
                Map.of()));
        offsets.put(new TopicPartition(r.getTopic(), r.getPartition()), new CommittedOffset(r.getOffset(),
                r.getLeaderEpoch(), r.getMetadata(), r.getCommitTimestampMs()));
        group.put(r.getProducerId(), Map.copyOf(offsets));
        pending().put(r.getGroupId(), Map.copyOf(group));
    }

    void replay(TxnOffsetsClearRecord r) {
        Map<Long, Map<TopicPartition, CommittedOffset>> existing = pending().get(r.getGroupId());
        if (existing == null || !existing.containsKey(r.getProducerId())) {
            return; // nothing pending: a no-op, as OffsetDelete of an absent offset is
        }
        Map<Long, Map<TopicPartition, CommittedOffset>> group = new HashMap<>(existing);
        group.remove(r.getProducerId());
        if (group.isEmpty()) {
            pending().remove(r.getGroupId());
        } else {
            pending().put(r.getGroupId(), Map.copyOf(group));
        }
    }

    /** The transactions after the records so far (the base's map when none changed it). */
    Map<String, TransactionState> transactionsImage() {
        return transactions == null ? base.transactions() : Map.copyOf(transactions);
    }

    /** The pending transactional offsets after the records so far (the base's map when none changed it). */
    Map<String, Map<Long, Map<TopicPartition, CommittedOffset>>> pendingImage() {
        return pending == null ? base.pendingTxnOffsets() : Map.copyOf(pending);
    }

    private Map<String, TransactionState> transactions() {
        if (transactions == null) {
            transactions = new HashMap<>(base.transactions());
        }
        return transactions;
    }

    private Map<String, Map<Long, Map<TopicPartition, CommittedOffset>>> pending() {
        if (pending == null) {
            pending = new HashMap<>(base.pendingTxnOffsets());
        }
        return pending;
    }

    private static MetadataReplayException invalid(String message) {
        return new MetadataReplayException(ErrorCode.INVALID_REQUEST, message);
    }
}
