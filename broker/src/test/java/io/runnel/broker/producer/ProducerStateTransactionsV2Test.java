package io.runnel.broker.producer;

import io.runnel.log.record.RecordBatchHeader;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Transactions v2 (KIP-890 part 2) on the partition side of {@link ProducerStateManager}: a marker carries the epoch
 * the coordinator's EndTxn bumped (current + 1) and is accepted; one at the epoch of the transaction still open is
 * INVALID_PRODUCER_EPOCH (it belongs to an earlier transaction), while a v1 marker at that epoch is accepted as
 * before; a retried v2 marker with nothing open is accepted; after the bump the producer's next transaction starts
 * at sequence 0 of the new epoch (else OUT_OF_ORDER_SEQUENCE_NUMBER), and older epochs stay fenced.
 */
class ProducerStateTransactionsV2Test {
    private static final short TRANSACTIONAL = 0x10;
    private static final short CONTROL = 0x20;
    private final ProducerStateManager state = new ProducerStateManager();

    private static RecordBatchHeader batch(long pid, int epoch, int firstSeq, int count, long baseOffset) {
        return new RecordBatchHeader(baseOffset, 100, 0, (byte) 2, 0, TRANSACTIONAL, count - 1, 0, 0, pid,
                (short) epoch, firstSeq, count);
    }

    private static RecordBatchHeader marker(long pid, int epoch, long offset) {
        return new RecordBatchHeader(offset, 100, 0, (byte) 2, 0, (short) (TRANSACTIONAL | CONTROL), 0, 0, 7, pid,
                (short) epoch, -1, 1);
    }

    private void append(long pid, int epoch, int firstSeq, int count, long offset) {
        state.markVerified(pid, (short) epoch);
        RecordBatchHeader b = batch(pid, epoch, firstSeq, count, offset);
        SequenceCheck c = state.check(b);
        assertEquals(SequenceCheck.Outcome.ACCEPT, c.outcome(), c.message());
        state.replay(b);
    }

    @Test
    void aV2MarkerBumpsTheEpochAndTheNextTransactionStartsAtSequenceZero() {
        append(7, 3, 0, 2, 0);
        append(7, 3, 2, 1, 2);
        assertEquals(Errors.INVALID_PRODUCER_EPOCH, state.checkMarker(7, (short) 3, 1, 2).error(),
                "a v2 marker at the open transaction's epoch ends an earlier transaction");
        assertEquals(SequenceCheck.Outcome.ACCEPT, state.checkMarker(7, (short) 3, 1, 1).outcome(),
                "v1 markers keep the epoch");
        assertEquals(SequenceCheck.Outcome.ACCEPT, state.checkMarker(7, (short) 4, 1, 2).outcome());
        state.replayMarker(marker(7, 4, 3), new TxnMarker(true, 1));
        assertEquals(-1, state.firstUnstableOffset());
        assertEquals(4, state.entry(7).epoch());
        assertEquals(SequenceCheck.Outcome.ACCEPT, state.checkMarker(7, (short) 4, 1, 2).outcome(),
                "a retried marker with nothing open");
        state.markVerified(7, (short) 4);
        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, state.check(batch(7, 4, 3, 1, 4)).error(),
                "the new epoch starts at sequence 0");
        assertEquals(Errors.INVALID_PRODUCER_EPOCH, state.check(batch(7, 3, 3, 1, 4)).error());
        append(7, 4, 0, 2, 4);
        append(7, 4, 2, 1, 6);
        assertEquals(4, state.firstUnstableOffset());
    }

    @Test
    void sequenceRestartIsRebuiltFromTheLogAndForgottenByClear() {
        state.replay(batch(9, 0, 0, 1, 0));
        state.replayMarker(marker(9, 1, 1), new TxnMarker(false, 0));
        state.markVerified(9, (short) 1);
        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, state.check(batch(9, 1, 1, 1, 2)).error());
        state.clear();
        state.replayMarker(marker(9, 1, 1), new TxnMarker(false, 0));
        state.markVerified(9, (short) 1);
        assertEquals(SequenceCheck.Outcome.ACCEPT, state.check(batch(9, 1, 5, 1, 2)).outcome(),
                "a producer known only from a marker (earlier batches gone) may continue at any sequence");
    }
}
