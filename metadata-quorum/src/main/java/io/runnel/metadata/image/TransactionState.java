package io.runnel.metadata.image;

import io.runnel.metadata.record.TransactionRecord;
import io.runnel.metadata.record.TxnPartition;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state of one transactional id as the metadata log holds it (a replayed {@link TransactionRecord}; KIP-98).
 * Immutable: {@code partitions} (ordered by topic, then partition) and {@code groups} (ordered by name) are
 * unmodifiable sorted copies, so the record is safe to share across threads.
 *
 * @param transactionalId   the producer's {@code transactional.id}, non-empty
 * @param producerId        the producer id it maps to
 * @param producerEpoch     the current producer epoch
 * @param lastProducerId    the previous producer id (-1 none; KIP-360 epoch bumps)
 * @param lastProducerEpoch the previous producer epoch (-1 none)
 * @param timeoutMs         {@code transaction.timeout.ms}, in ms
 * @param state             the transaction state
 * @param partitions        the partitions of the open transaction (AddPartitionsToTxn)
 * @param groups            the consumer groups of the open transaction (AddOffsetsToTxn)
 * @param txnStartMs        epoch ms the open transaction started; -1 when none is open
 * @param lastUpdateMs      epoch ms of the last state change
 * @param version           1 for the first write, +1 per write (the compare-and-set version)
 * @param nextProducerId    transactions v2 (KIP-890 part 2): the producer id this one moves to (at epoch 0) once the
 *                          prepared transaction's markers are written, because EndTxn exhausted the epoch; -1 none
 * @param clientTransactionVersion the transaction version the transaction runs with: 0 or 1 = transactions v1
 *                          (KIP-98), 2 = transactions v2 (KIP-890 part 2: every EndTxn bumps the epoch)
 */
public record TransactionState(String transactionalId, long producerId, int producerEpoch, long lastProducerId,
                               int lastProducerEpoch, int timeoutMs, TxnState state, Set<TopicPartition> partitions,
                               Set<String> groups, long txnStartMs, long lastUpdateMs, long version,
                               long nextProducerId, int clientTransactionVersion) {
    /** Copies {@code partitions} and {@code groups} into unmodifiable sorted sets; rejects nulls. */
    public TransactionState {
        Objects.requireNonNull(transactionalId, "transactionalId");
        Objects.requireNonNull(state, "state");
        partitions = Collections.unmodifiableSortedSet(new TreeSet<>(partitions));
        groups = Collections.unmodifiableSortedSet(new TreeSet<>(groups));
    }

    /**
     * The state a record describes. Throws {@link IllegalArgumentException} for an unknown state code; the caller
     * ({@link MetadataDelta}) checks the record's shape first.
     */
    public static TransactionState fromRecord(TransactionRecord r) {
        TxnState state = TxnState.fromProto(r.getState());
        if (state == null) {
            throw new IllegalArgumentException("Unknown transaction state " + r.getStateValue());
        }
        Set<TopicPartition> partitions = new TreeSet<>();
        r.getPartitionsList().forEach(p -> partitions.add(new TopicPartition(p.getTopic(), p.getPartition())));
        return new TransactionState(r.getTransactionalId(), r.getProducerId(), r.getProducerEpoch(),
                r.getLastProducerId(), r.getLastProducerEpoch(), r.getTimeoutMs(), state, partitions,
                Set.copyOf(r.getGroupsList()), r.getTxnStartMs(), r.getLastUpdateMs(), r.getVersion(),
                r.hasNextProducerId() ? r.getNextProducerId() : -1L, r.getClientTransactionVersion());
    }

    /** True when the transaction runs with transactions v2 (KIP-890 part 2): EndTxn bumps the epoch. */
    public boolean epochBumpPerTransaction() {
        return clientTransactionVersion >= 2;
    }

    /** The record that recreates this state (partitions and groups sorted: the canonical form). */
    public TransactionRecord toRecord() {
        TransactionRecord.Builder b = TransactionRecord.newBuilder().setTransactionalId(transactionalId)
                .setProducerId(producerId).setProducerEpoch(producerEpoch).setLastProducerId(lastProducerId)
                .setLastProducerEpoch(lastProducerEpoch).setTimeoutMs(timeoutMs).setState(state.toProto())
                .addAllGroups(groups).setTxnStartMs(txnStartMs).setLastUpdateMs(lastUpdateMs).setVersion(version)
                .setClientTransactionVersion(clientTransactionVersion);
        if (nextProducerId >= 0) {
            b.setNextProducerId(nextProducerId);
        }
        partitions.forEach(tp -> b.addPartitions(TxnPartition.newBuilder().setTopic(tp.topic())
                .setPartition(tp.partition())));
        return b.build();
    }
}
