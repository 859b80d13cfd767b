package io.runnel.broker.txn;

import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.image.TransactionState;
import io.runnel.metadata.image.TxnState;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link EndTxnRules} and {@link Transitions} for EndTxn under transactions v1 and v2 (KIP-98, KIP-890 part 2):
 * the v2 epoch bump, the rotation to a new producer id when the epoch is exhausted, retries answered with the new
 * id and epoch, older epochs fenced, the empty abort of v2, and the epoch fence that stays a fence.
 */
class EndTxnRulesTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);

    private static TransactionState ongoing(int epoch, int clientTransactionVersion) {
        TransactionState empty = Transitions.fresh("id", 10L, 60_000, 0L);
        TransactionState atEpoch = new TransactionState("id", 10L, epoch, -1L, -1, 60_000, TxnState.EMPTY, Set.of(),
                Set.of(), -1L, 0L, 1L, -1L, 0);
        return Transitions.ongoing(epoch == 0 ? empty : atEpoch, Set.of(TP), Set.of(), clientTransactionVersion, 5L);
    }

    @Test
    void v2BumpsTheEpochAndAnswersRetriesWithIt() {
        TransactionState cur = ongoing(3, 2);
        assertNull(EndTxnRules.answer(cur, 10L, (short) 3, true, 2), "to be prepared");
        TransactionState prepared = Transitions.prepare(cur, true, 2, -1L, 6L);
        assertEquals(4, prepared.producerEpoch());
        assertEquals(3, prepared.lastProducerEpoch());
        assertEquals(Set.of(TP), prepared.partitions());
        assertEquals(new EndTxnResult(Errors.NONE, 10L, (short) 4), EndTxnResult.continueWith(prepared));
        assertEquals(Errors.CONCURRENT_TRANSACTIONS, EndTxnRules.answer(prepared, 10L, (short) 3, true, 2).error());
        assertEquals(Errors.INVALID_TXN_STATE, EndTxnRules.answer(prepared, 10L, (short) 3, false, 2).error());
        assertEquals(Errors.PRODUCER_FENCED, EndTxnRules.answer(prepared, 10L, (short) 4, true, 2).error(),
                "the bumped epoch is not this transaction's");
        TransactionState done = Transitions.complete(prepared, 7L);
        assertEquals(new EndTxnResult(Errors.NONE, 10L, (short) 4), EndTxnRules.answer(done, 10L, (short) 3, true,
                2));
        assertEquals(Errors.PRODUCER_FENCED, EndTxnRules.answer(done, 10L, (short) 2, true, 2).error());
        assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING, EndTxnRules.answer(done, 11L, (short) 3, true, 2).error());
        assertNull(EndTxnRules.answer(done, 10L, (short) 4, false, 2), "v2 may abort an empty transaction");
        assertEquals(Errors.INVALID_TXN_STATE, EndTxnRules.answer(done, 10L, (short) 4, true, 2).error());
        TransactionState emptyAbort = Transitions.prepare(done, false, 2, -1L, 8L);
        assertEquals(5, emptyAbort.producerEpoch());
        assertEquals(Set.of(), emptyAbort.partitions());
    }

    @Test
    void anExhaustedEpochRotatesToTheNextProducerIdOnceTheMarkersAreWritten() {
        TransactionState cur = ongoing(Transitions.EPOCH_EXHAUSTED, 2);
        TransactionState prepared = Transitions.prepare(cur, false, 2, 99L, 6L);
        assertEquals(10L, prepared.producerId(), "the markers are written with the old id");
        assertEquals(Short.MAX_VALUE, prepared.producerEpoch());
        assertEquals(new EndTxnResult(Errors.NONE, 99L, (short) 0), EndTxnResult.continueWith(prepared));
        TransactionState done = Transitions.complete(prepared, 7L);
        assertEquals(99L, done.producerId());
        assertEquals(0, done.producerEpoch());
        assertEquals(10L, done.lastProducerId());
        assertEquals(-1L, done.nextProducerId());
        assertEquals(new EndTxnResult(Errors.NONE, 99L, (short) 0), EndTxnRules.answer(done, 10L,
                (short) Transitions.EPOCH_EXHAUSTED, false, 2), "the retry of the rotating EndTxn");
        assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING, EndTxnRules.answer(done, 10L, (short) 5, false, 2).error());
    }

    @Test
    void v1KeepsTheEpochAndTheEpochFenceIsNotARetry() {
        TransactionState cur = ongoing(3, 1);
        TransactionState prepared = Transitions.prepare(cur, true, 1, -1L, 6L);
        assertEquals(3, prepared.producerEpoch());
        assertEquals(Errors.CONCURRENT_TRANSACTIONS, EndTxnRules.answer(prepared, 10L, (short) 3, true, 1).error());
        TransactionState done = Transitions.complete(prepared, 7L);
        assertEquals(Errors.NONE, EndTxnRules.answer(done, 10L, (short) 3, true, 1).error());
        assertEquals(Errors.INVALID_TXN_STATE, EndTxnRules.answer(done, 10L, (short) 3, false, 1).error());

        TransactionState fenced = Transitions.fenceAndAbort(ongoing(3, 2), 6L);
        assertEquals(4, fenced.producerEpoch());
        assertEquals(1, fenced.clientTransactionVersion());
        assertEquals(Errors.PRODUCER_FENCED, EndTxnRules.answer(fenced, 10L, (short) 3, false, 2).error(),
                "the producer whose transaction the coordinator aborted is fenced");
        assertEquals(Errors.PRODUCER_FENCED, EndTxnRules.answer(Transitions.complete(fenced, 7L), 10L, (short) 3,
                false, 2).error());
    }
}
