package io.runnel.broker.txn;

import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.image.TransactionState;
import io.runnel.metadata.image.TxnState;

import java.util.Set;
import java.util.TreeSet;

/**
 * The state changes of one transactional id, as Kafka's transaction coordinator makes them (KIP-98, KIP-360):
 * Empty -> Ongoing -> PrepareCommit/PrepareAbort -> CompleteCommit/CompleteAbort -> Ongoing ... Each returns the
 * next state; its {@code version} is the current one (the controller writes version + 1). Stateless.
 */
final class Transitions {
    private Transitions() {
    }

    /** A transactional id seen for the first time (InitProducerId): epoch 0, no transaction open. */
    static TransactionState fresh(String id, long producerId, int timeoutMs, long now) {
        return new TransactionState(id, producerId, 0, -1L, -1, timeoutMs, TxnState.EMPTY, Set.of(), Set.of(), -1L,
                now, 0L);
    }

    /** InitProducerId on an id with no transaction open: a new epoch (or a new producer id at epoch 0). */
    static TransactionState newEpoch(TransactionState cur, long producerId, int epoch, int timeoutMs, long now) {
        boolean sameId = producerId == cur.producerId();
        return new TransactionState(cur.transactionalId(), producerId, epoch,
                sameId ? cur.lastProducerId() : cur.producerId(), cur.producerEpoch(), timeoutMs, TxnState.EMPTY,
                Set.of(), Set.of(), -1L, now, cur.version());
    }

    /** AddPartitionsToTxn / AddOffsetsToTxn: the transaction is open with these partitions and groups added. */
    static TransactionState ongoing(TransactionState cur, Set<TopicPartition> addPartitions, Set<String> addGroups,
                                    long now) {
        boolean open = cur.state() == TxnState.ONGOING;
        Set<TopicPartition> partitions = new TreeSet<>(open ? cur.partitions() : Set.of());
        partitions.addAll(addPartitions);
        Set<String> groups = new TreeSet<>(open ? cur.groups() : Set.of());
        groups.addAll(addGroups);
        return new TransactionState(cur.transactionalId(), cur.producerId(), cur.producerEpoch(),
                cur.lastProducerId(), cur.lastProducerEpoch(), cur.timeoutMs(), TxnState.ONGOING, partitions, groups,
                open ? cur.txnStartMs() : now, now, cur.version());
    }

    /** EndTxn: the decision is made (PrepareCommit or PrepareAbort); the markers follow. */
    static TransactionState prepare(TransactionState cur, boolean commit, long now) {
        return with(cur, commit ? TxnState.PREPARE_COMMIT : TxnState.PREPARE_ABORT, cur.producerEpoch(), now);
    }

    /**
     * The coordinator aborts an open transaction (timeout, or InitProducerId from a new instance): PrepareAbort
     * with the epoch bumped, so that the old producer is fenced (KIP-588's epoch fence).
     */
    static TransactionState fenceAndAbort(TransactionState cur, long now) {
        TransactionState next = with(cur, TxnState.PREPARE_ABORT, cur.producerEpoch() + 1, now);
        return new TransactionState(next.transactionalId(), next.producerId(), next.producerEpoch(),
                next.lastProducerId(), cur.producerEpoch(), next.timeoutMs(), next.state(), next.partitions(),
                next.groups(), next.txnStartMs(), now, next.version());
    }

    /**
     * Every marker is written: CompleteCommit or CompleteAbort, no partitions or groups. The start time of the
     * finished transaction stays (as Kafka's coordinator keeps it: DescribeTransactions and ListTransactions'
     * duration filter see it).
     */
    static TransactionState complete(TransactionState cur, long now) {
        TxnState done = cur.state() == TxnState.PREPARE_COMMIT ? TxnState.COMPLETE_COMMIT : TxnState.COMPLETE_ABORT;
        return new TransactionState(cur.transactionalId(), cur.producerId(), cur.producerEpoch(),
                cur.lastProducerId(), cur.lastProducerEpoch(), cur.timeoutMs(), done, Set.of(), Set.of(), cur.txnStartMs(),
                now, cur.version());
    }

    /** The same state rewritten (a new version): a coordinator taking over a prepared transaction's markers. */
    static TransactionState rewrite(TransactionState cur, long now) {
        return with(cur, cur.state(), cur.producerEpoch(), now);
    }

    /** True for PrepareCommit, PrepareAbort and PrepareEpochFence: markers are still to be written. */
    static boolean prepared(TxnState s) {
        return s == TxnState.PREPARE_COMMIT || s == TxnState.PREPARE_ABORT || s == TxnState.PREPARE_EPOCH_FENCE;
    }

    private static TransactionState with(TransactionState cur, TxnState state, int epoch, long now) {
        return new TransactionState(cur.transactionalId(), cur.producerId(), epoch, cur.lastProducerId(),
                cur.lastProducerEpoch(), cur.timeoutMs(), state, cur.partitions(), cur.groups(), cur.txnStartMs(),
                now, cur.version());
    }
}
