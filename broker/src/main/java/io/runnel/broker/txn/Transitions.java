package io.runnel.broker.txn;

import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.image.TransactionState;
import io.runnel.metadata.image.TxnState;

import java.util.Set;
import java.util.TreeSet;

/**
 * The state changes of one transactional id, as Kafka's transaction coordinator makes them (KIP-98, KIP-360,
 * KIP-890 part 2): Empty -> Ongoing -> PrepareCommit/PrepareAbort -> CompleteCommit/CompleteAbort -> Ongoing ...
 * Each returns the next state; its {@code version} is the current one (the controller writes version + 1).
 * Under transactions v2 (the state's {@code clientTransactionVersion} 2) every Prepare bumps the producer epoch, and
 * an exhausted epoch moves to {@code nextProducerId} at epoch 0 once the markers are written. Stateless.
 */
final class Transitions {
    /** Kafka's limit: an epoch at or above this is exhausted (the next bump needs a new producer id). */
    static final int EPOCH_EXHAUSTED = Short.MAX_VALUE - 1;

    private Transitions() {
    }

    /** A transactional id seen for the first time (InitProducerId): epoch 0, no transaction open. */
    static TransactionState fresh(String id, long producerId, int timeoutMs, long now) {
        return new TransactionState(id, producerId, 0, -1L, -1, timeoutMs, TxnState.EMPTY, Set.of(), Set.of(), -1L,
                now, 0L, -1L, 0);
    }

    /** InitProducerId on an id with no transaction open: a new epoch (or a new producer id at epoch 0). */
    static TransactionState newEpoch(TransactionState cur, long producerId, int epoch, int timeoutMs, long now) {
        boolean sameId = producerId == cur.producerId();
        return new TransactionState(cur.transactionalId(), producerId, epoch,
                sameId ? cur.lastProducerId() : cur.producerId(), cur.producerEpoch(), timeoutMs, TxnState.EMPTY,
                Set.of(), Set.of(), -1L, now, cur.version(), -1L, cur.clientTransactionVersion());
    }

    /**
     * AddPartitionsToTxn / AddOffsetsToTxn (or, under transactions v2, a partition leader or group coordinator on
     * the producer's behalf): the transaction is open with these partitions and groups added. A transaction that
     * opens here runs with {@code clientTransactionVersion}; an open one keeps its own.
     */
    static TransactionState ongoing(TransactionState cur, Set<TopicPartition> addPartitions, Set<String> addGroups,
                                    int clientTransactionVersion, long now) {
        boolean open = cur.state() == TxnState.ONGOING;
        Set<TopicPartition> partitions = new TreeSet<>(open ? cur.partitions() : Set.of());
        partitions.addAll(addPartitions);
        Set<String> groups = new TreeSet<>(open ? cur.groups() : Set.of());
        groups.addAll(addGroups);
        return new TransactionState(cur.transactionalId(), cur.producerId(), cur.producerEpoch(),
                cur.lastProducerId(), cur.lastProducerEpoch(), cur.timeoutMs(), TxnState.ONGOING, partitions, groups,
                open ? cur.txnStartMs() : now, now, cur.version(), -1L,
                open ? cur.clientTransactionVersion() : clientTransactionVersion);
    }

    /**
     * EndTxn: the decision is made (PrepareCommit or PrepareAbort); the markers follow. With
     * {@code clientTransactionVersion} 2 the epoch is bumped (the markers carry the new epoch) and, when the
     * current epoch is exhausted, {@code nextProducerId} is where the producer moves once they are written.
     * Under v2 a transaction with nothing added may be aborted (it starts now).
     */
    static TransactionState prepare(TransactionState cur, boolean commit, int clientTransactionVersion,
                                    long nextProducerId, long now) {
        boolean bump = clientTransactionVersion >= 2;
        boolean open = cur.state() == TxnState.ONGOING;
        return new TransactionState(cur.transactionalId(), cur.producerId(),
                bump ? cur.producerEpoch() + 1 : cur.producerEpoch(), cur.lastProducerId(),
                bump ? cur.producerEpoch() : cur.lastProducerEpoch(), cur.timeoutMs(),
                commit ? TxnState.PREPARE_COMMIT : TxnState.PREPARE_ABORT, open ? cur.partitions() : Set.of(),
                open ? cur.groups() : Set.of(), open ? cur.txnStartMs() : now, now, cur.version(),
                bump ? nextProducerId : -1L, clientTransactionVersion);
    }

    /**
     * The coordinator aborts an open transaction (timeout, or InitProducerId from a new instance): PrepareAbort
     * with the epoch bumped once, so that the old producer is fenced (KIP-588's epoch fence). The abort runs with
     * client transaction version 1 whatever the transaction started with, as Kafka's epoch fence is outside v2's
     * bump-per-EndTxn: the old producer's EndTxn at the previous epoch is then PRODUCER_FENCED, not a retry.
     */
    static TransactionState fenceAndAbort(TransactionState cur, long now) {
        return new TransactionState(cur.transactionalId(), cur.producerId(), cur.producerEpoch() + 1,
                cur.lastProducerId(), cur.producerEpoch(), cur.timeoutMs(), TxnState.PREPARE_ABORT, cur.partitions(),
                cur.groups(), cur.txnStartMs(), now, cur.version(), -1L,
                Math.min(1, cur.clientTransactionVersion()));
    }

    /**
     * Every marker is written: CompleteCommit or CompleteAbort, no partitions or groups. The start time of the
     * finished transaction stays (as Kafka's coordinator keeps it: DescribeTransactions and ListTransactions'
     * duration filter see it). A pending {@code nextProducerId} (v2, epoch exhausted) becomes the producer id at
     * epoch 0, the old one its last producer id.
     */
    static TransactionState complete(TransactionState cur, long now) {
        TxnState done = cur.state() == TxnState.PREPARE_COMMIT ? TxnState.COMPLETE_COMMIT : TxnState.COMPLETE_ABORT;
        boolean rotate = cur.nextProducerId() >= 0;
        return new TransactionState(cur.transactionalId(), rotate ? cur.nextProducerId() : cur.producerId(),
                rotate ? 0 : cur.producerEpoch(), rotate ? cur.producerId() : cur.lastProducerId(),
                rotate ? cur.producerEpoch() : cur.lastProducerEpoch(), cur.timeoutMs(), done, Set.of(), Set.of(),
                cur.txnStartMs(), now, cur.version(), -1L, cur.clientTransactionVersion());
    }

    /** The same state rewritten (a new version): a coordinator taking over a prepared transaction's markers. */
    static TransactionState rewrite(TransactionState cur, long now) {
        return new TransactionState(cur.transactionalId(), cur.producerId(), cur.producerEpoch(),
                cur.lastProducerId(), cur.lastProducerEpoch(), cur.timeoutMs(), cur.state(), cur.partitions(),
                cur.groups(), cur.txnStartMs(), now, cur.version(), cur.nextProducerId(),
                cur.clientTransactionVersion());
    }

    /** True for PrepareCommit, PrepareAbort and PrepareEpochFence: markers are still to be written. */
    static boolean prepared(TxnState s) {
        return s == TxnState.PREPARE_COMMIT || s == TxnState.PREPARE_ABORT || s == TxnState.PREPARE_EPOCH_FENCE;
    }
}
