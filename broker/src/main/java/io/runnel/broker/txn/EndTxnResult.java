package io.runnel.broker.txn;

import io.runnel.metadata.image.TransactionState;
import org.apache.kafka.common.protocol.Errors;

/**
 * The answer to EndTxn (key 26).
 *
 * @param error         NONE, or NOT_COORDINATOR (16), COORDINATOR_NOT_AVAILABLE (15), INVALID_PRODUCER_ID_MAPPING (49),
 *                      PRODUCER_FENCED (90), INVALID_PRODUCER_EPOCH (47), INVALID_TXN_STATE (48),
 *                      CONCURRENT_TRANSACTIONS (51)
 * @param producerId    on NONE the producer id the client continues with (EndTxn v5, transactions v2: a new one
 *                      once the epoch was exhausted); -1 on error
 * @param producerEpoch on NONE the epoch the client continues with (v5: the bumped epoch, or 0 with a new producer
 *                      id); -1 on error
 */
public record EndTxnResult(Errors error, long producerId, short producerEpoch) {
    /** A failure. */
    public static EndTxnResult error(Errors error) {
        return new EndTxnResult(error, -1L, (short) -1);
    }

    /** Success: the client continues with the producer id and epoch of {@code state}, or its pending next id. */
    static EndTxnResult continueWith(TransactionState state) {
        return state.nextProducerId() >= 0 ? new EndTxnResult(Errors.NONE, state.nextProducerId(), (short) 0)
                : new EndTxnResult(Errors.NONE, state.producerId(), (short) state.producerEpoch());
    }
}
