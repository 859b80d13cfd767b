package io.runnel.broker.producer;

import io.runnel.log.record.RecordBatchHeader;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transaction rules of {@link ProducerStateManager} (KIP-98, KIP-890) on batch headers alone: a transactional
 * batch that does not continue an open transaction needs the verification guard of its epoch (else
 * INVALID_TXN_STATE), the guard is spent by the batch or a marker; a non-transactional batch from a producer with an
 * open transaction is INVALID_TXN_STATE; markers are fenced by producer epoch (INVALID_PRODUCER_EPOCH) and
 * coordinator epoch (TRANSACTION_COORDINATOR_FENCED); the first unstable offset is the first offset of the oldest
 * open transaction and follows markers; {@link ProducerStateManager#clear} forgets guards.
 */
class ProducerStateTransactionsTest {
    private static final short TRANSACTIONAL = 0x10;
    private static final short CONTROL = 0x20;
    private final ProducerStateManager state = new ProducerStateManager();

    private static RecordBatchHeader batch(long pid, int epoch, int firstSeq, int count, long baseOffset,
                                           boolean transactional) {
        return new RecordBatchHeader(baseOffset, 100, 0, (byte) 2, 0, transactional ? TRANSACTIONAL : 0,
                count - 1, 0, 0, pid, (short) epoch, firstSeq, count);
    }

    private static RecordBatchHeader marker(long pid, int epoch, long offset) {
        return new RecordBatchHeader(offset, 100, 0, (byte) 2, 0, (short) (TRANSACTIONAL | CONTROL), 0, 0, 7, pid,
                (short) epoch, -1, 1);
    }

    private void append(RecordBatchHeader b) {
        SequenceCheck c = state.check(b);
        assertEquals(SequenceCheck.Outcome.ACCEPT, c.outcome(), c.message());
        state.replay(b);
    }

    private CompletedTxn end(long pid, int epoch, long offset, boolean commit, int coordinatorEpoch) {
        assertEquals(SequenceCheck.Outcome.ACCEPT, state.checkMarker(pid, (short) epoch, coordinatorEpoch).outcome());
        return state.replayMarker(marker(pid, epoch, offset), new TxnMarker(commit, coordinatorEpoch));
    }

    @Test
    void aTransactionalBatchNeedsTheVerificationGuardOfItsEpochToStartATransaction() {
        RecordBatchHeader first = batch(5, 2, 0, 2, 0, true);
        assertTrue(state.needsVerification(5, (short) 2));
        assertEquals(Errors.INVALID_TXN_STATE, state.check(first).error(), "never verified");
        state.markVerified(5, (short) 1);
        assertEquals(Errors.INVALID_TXN_STATE, state.check(first).error(), "verified at another epoch");
        state.markVerified(5, (short) 2);
        assertFalse(state.needsVerification(5, (short) 2));
        append(first);
        // the open transaction continues without a guard
        assertFalse(state.needsVerification(5, (short) 2));
        append(batch(5, 2, 2, 1, 2, true));
        assertEquals(0, state.firstUnstableOffset());

        CompletedTxn done = end(5, 2, 3, true, 0);
        assertEquals(new CompletedTxn(5, 0, 3, false), done);
        assertEquals(-1, state.firstUnstableOffset());
        // the guard was spent by the first batch: the next transaction needs verifying again
        assertTrue(state.needsVerification(5, (short) 2));
        assertEquals(Errors.INVALID_TXN_STATE, state.check(batch(5, 2, 3, 1, 4, true)).error());
    }

    @Test
    void aMarkerSpendsAnUnusedGuardAndClearForgetsGuards() {
        state.markVerified(6, (short) 0);
        assertFalse(state.needsVerification(6, (short) 0));
        // the coordinator aborted before any batch arrived here: the guard must not outlive the transaction
        end(6, 0, 0, false, 0);
        assertTrue(state.needsVerification(6, (short) 0));
        assertEquals(Errors.INVALID_TXN_STATE, state.check(batch(6, 0, 0, 1, 1, true)).error());

        state.markVerified(6, (short) 0);
        state.clear();
        assertTrue(state.needsVerification(6, (short) 0));
    }

    @Test
    void aNonTransactionalBatchDuringAnOpenTransactionIsInvalidTxnState() {
        state.markVerified(7, (short) 0);
        append(batch(7, 0, 0, 1, 10, true));
        SequenceCheck plain = state.check(batch(7, 0, 1, 1, 11, false));
        assertEquals(Errors.INVALID_TXN_STATE, plain.error());
        end(7, 0, 11, false, 0);
        // outside a transaction the same producer may send plain idempotent batches
        append(batch(7, 0, 1, 1, 12, false));
        assertEquals(-1, state.firstUnstableOffset());
    }

    @Test
    void markersAreFencedByProducerEpochAndCoordinatorEpoch() {
        state.markVerified(8, (short) 3);
        append(batch(8, 3, 0, 1, 0, true));
        assertEquals(Errors.INVALID_PRODUCER_EPOCH, state.checkMarker(8, (short) 2, 5).error());
        end(8, 3, 1, true, 5);
        assertEquals(5, state.entry(8).coordinatorEpoch());
        assertEquals(Errors.TRANSACTION_COORDINATOR_FENCED, state.checkMarker(8, (short) 3, 4).error());
        assertEquals(SequenceCheck.Outcome.ACCEPT, state.checkMarker(8, (short) 3, 5).outcome());
        assertEquals(SequenceCheck.Outcome.ACCEPT, state.checkMarker(8, (short) 4, 6).outcome());
        // an unknown producer's marker is accepted (its state may be gone with old segments)
        assertEquals(SequenceCheck.Outcome.ACCEPT, state.checkMarker(99, (short) 0, 0).outcome());
    }

    @Test
    void aFencingAbortAtANewerEpochClosesTheTransactionAndFencesTheOldEpoch() {
        state.markVerified(9, (short) 0);
        append(batch(9, 0, 0, 2, 0, true));
        CompletedTxn done = end(9, 1, 2, false, 0);
        assertEquals(new CompletedTxn(9, 0, 2, true), done);
        assertEquals(1, state.entry(9).epoch());
        assertEquals(Errors.INVALID_PRODUCER_EPOCH, state.check(batch(9, 0, 2, 1, 3, false)).error());
        // the new epoch starts afresh
        append(batch(9, 1, 0, 1, 3, false));
    }

    @Test
    void theFirstUnstableOffsetIsTheOldestOpenTransactionsFirstOffset() {
        assertEquals(-1, state.firstUnstableOffset());
        state.markVerified(1, (short) 0);
        append(batch(1, 0, 0, 2, 10, true));
        state.markVerified(2, (short) 0);
        append(batch(2, 0, 0, 1, 12, true));
        append(batch(1, 0, 2, 1, 13, true));
        assertEquals(10, state.firstUnstableOffset());
        assertEquals(10, state.entry(1).currentTxnFirstOffset());
        assertEquals(12, state.entry(2).currentTxnFirstOffset());
        end(1, 0, 14, true, 0);
        assertEquals(12, state.firstUnstableOffset());
        // a marker for a producer with nothing open here changes nothing
        assertNull(end(3, 0, 15, false, 0));
        assertEquals(12, state.firstUnstableOffset());
        assertEquals(new CompletedTxn(2, 12, 16, true), end(2, 0, 16, false, 0));
        assertEquals(-1, state.firstUnstableOffset());
    }

    @Test
    void replayingAFirstTransactionalBatchOfAnUnknownProducerOpensItsTransaction() {
        // as when rebuilding from the log: no guard involved
        state.replay(batch(4, 0, 0, 3, 20, true));
        assertEquals(20, state.firstUnstableOffset());
        assertTrue(state.entry(4).inTransaction());
        assertFalse(state.needsVerification(4, (short) 0));
        assertTrue(state.needsVerification(4, (short) 1), "another epoch has no open transaction here");
    }
}
