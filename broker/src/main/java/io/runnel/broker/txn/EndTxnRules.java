package io.runnel.broker.txn;

import io.runnel.metadata.image.TransactionState;
import io.runnel.metadata.image.TxnState;
import org.apache.kafka.common.protocol.Errors;

/**
 * How the coordinator answers EndTxn (key 26) from the id's current state, as Kafka's coordinator does
 * (KIP-98; KIP-890 part 2 for transactions v2). Stateless.
 *
 * <p>Transactions v1 (EndTxn v0-4): the epoch must be the current one; a retried EndTxn (state already
 * PrepareX / CompleteX with the same outcome) gets CONCURRENT_TRANSACTIONS (51) while the markers are written, then
 * NONE. Transactions v2 (EndTxn v5, the state's client transaction version 2): every EndTxn bumps the epoch, so a
 * retry carries the epoch before the bump (current - 1), or, after the epoch was exhausted and the producer id
 * rotated, the old producer id at epoch {@code Short.MAX_VALUE - 1}; it is answered as in v1 with the new id and
 * epoch. A request at the current epoch while the state is Prepare* is PRODUCER_FENCED (90); an abort at the
 * current epoch with nothing open (Empty, CompleteX) aborts an empty transaction, as Kafka 4.x allows.
 * INVALID_PRODUCER_ID_MAPPING (49), PRODUCER_FENCED (90), INVALID_PRODUCER_EPOCH (47), INVALID_TXN_STATE (48).
 */
final class EndTxnRules {
    private EndTxnRules() {
    }

    /**
     * @param clientTransactionVersion 2 for EndTxn v5, else 1
     * @return the answer, or null when the transaction is to be prepared (a PrepareCommit / PrepareAbort write)
     */
    static EndTxnResult answer(TransactionState cur, long producerId, short epoch, boolean commit,
                               int clientTransactionVersion) {
        if (cur == null) {
            return EndTxnResult.error(Errors.INVALID_PRODUCER_ID_MAPPING);
        }
        boolean curV2 = cur.epochBumpPerTransaction();
        boolean prepared = cur.state() == TxnState.PREPARE_COMMIT || cur.state() == TxnState.PREPARE_ABORT;
        boolean completed = cur.state() == TxnState.COMPLETE_COMMIT || cur.state() == TxnState.COMPLETE_ABORT;
        boolean retryOnBump = curV2 && (prepared || completed) && cur.producerId() == producerId
                && cur.producerEpoch() == epoch + 1;
        boolean retryOnRotation = curV2 && completed && cur.lastProducerId() == producerId
                && epoch == Transitions.EPOCH_EXHAUSTED && cur.producerEpoch() == 0;
        if (retryOnBump || retryOnRotation) {
            return retried(cur, commit);
        }
        Errors error = TransactionCoordinator.checkProducer(cur, producerId, epoch);
        if (error != Errors.NONE) {
            return EndTxnResult.error(error);
        }
        switch (cur.state()) {
            case ONGOING:
                return null;
            case PREPARE_COMMIT:
            case PREPARE_ABORT:
                if (curV2) { // the current epoch is the one the decision gave: not this producer's retry
                    return EndTxnResult.error(Errors.PRODUCER_FENCED);
                }
                return retried(cur, commit);
            case PREPARE_EPOCH_FENCE:
                return EndTxnResult.error(commit ? Errors.INVALID_TXN_STATE : Errors.CONCURRENT_TRANSACTIONS);
            case EMPTY:
            case COMPLETE_COMMIT:
            case COMPLETE_ABORT:
                if (clientTransactionVersion >= 2) { // a new EndTxn: only an empty transaction can be aborted
                    return commit ? EndTxnResult.error(Errors.INVALID_TXN_STATE) : null;
                }
                return cur.state() == TxnState.EMPTY ? EndTxnResult.error(Errors.INVALID_TXN_STATE)
                        : retried(cur, commit);
            default:
                return EndTxnResult.error(Errors.INVALID_TXN_STATE);
        }
    }

    /** A retried EndTxn: CONCURRENT_TRANSACTIONS while prepared, NONE once complete; the other outcome is invalid. */
    private static EndTxnResult retried(TransactionState cur, boolean commit) {
        switch (cur.state()) {
            case PREPARE_COMMIT:
                return EndTxnResult.error(commit ? Errors.CONCURRENT_TRANSACTIONS : Errors.INVALID_TXN_STATE);
            case PREPARE_ABORT:
                return EndTxnResult.error(commit ? Errors.INVALID_TXN_STATE : Errors.CONCURRENT_TRANSACTIONS);
            case COMPLETE_COMMIT:
                return commit ? EndTxnResult.continueWith(cur) : EndTxnResult.error(Errors.INVALID_TXN_STATE);
            case COMPLETE_ABORT:
                return commit ? EndTxnResult.error(Errors.INVALID_TXN_STATE) : EndTxnResult.continueWith(cur);
            default:
                return EndTxnResult.error(Errors.INVALID_TXN_STATE);
        }
    }
}
