package io.runnel.broker.producer;

import io.runnel.log.record.RecordBatchHeader;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProducerStateManagerTest {
    private final ProducerStateManager state = new ProducerStateManager();

    private static RecordBatchHeader batch(long pid, int epoch, int firstSeq, int count, long baseOffset) {
        return new RecordBatchHeader(baseOffset, 100, 0, (byte) 2, 0, (short) 0, count - 1, 0, 0, pid,
                (short) epoch, firstSeq, count);
    }

    private long append(long pid, int epoch, int firstSeq, int count, long offset) {
        RecordBatchHeader b = batch(pid, epoch, firstSeq, count, offset);
        assertEquals(SequenceCheck.Outcome.ACCEPT, state.check(b).outcome());
        state.replay(b);
        return offset + count;
    }

    @Test
    void inSequenceBatchesAreAcceptedAndGapsAreOutOfOrder() {
        long next = append(7, 0, 0, 3, 0);
        next = append(7, 0, 3, 2, next);
        SequenceCheck gap = state.check(batch(7, 0, 6, 1, next));
        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, gap.error());
    }

    @Test
    void oneOfTheLastFiveBatchesIsADuplicateWithItsOriginalOffsets() {
        long next = 0;
        for (int i = 0; i < 7; i++) {
            next = append(7, 0, i * 2, 2, next);
        }
        SequenceCheck dup = state.check(batch(7, 0, 6, 2, 999));
        assertEquals(SequenceCheck.Outcome.DUPLICATE, dup.outcome());
        assertEquals(6, dup.duplicate().firstOffset());
        assertEquals(7, dup.duplicate().lastOffset());
        // the sixth-newest batch is forgotten: a retry of it is out of order
        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, state.check(batch(7, 0, 2, 2, 999)).error());
    }

    @Test
    void epochsFenceOlderProducersAndNewEpochsStartAtZero() {
        append(7, 3, 0, 1, 0);
        assertEquals(Errors.INVALID_PRODUCER_EPOCH, state.check(batch(7, 2, 1, 1, 1)).error());
        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, state.check(batch(7, 4, 5, 1, 1)).error());
        append(7, 4, 0, 1, 1);
        assertEquals(4, state.entry(7).epoch());
        assertEquals(1, state.entry(7).batches().size());
    }

    @Test
    void sequencesWrapAfterIntegerMax() {
        append(9, 0, Integer.MAX_VALUE - 1, 2, 0);
        assertEquals(Integer.MAX_VALUE, state.entry(9).lastSeq());
        append(9, 0, 0, 1, 2);
    }

    @Test
    void unknownProducersAreAcceptedAtAnySequenceAndPlainBatchesAlways() {
        append(11, 5, 42, 1, 0);
        RecordBatchHeader plain = batch(-1, -1, -1, 3, 1);
        assertEquals(SequenceCheck.Outcome.ACCEPT, state.check(plain).outcome());
        state.replay(plain);
        assertEquals(1, state.producerCount());
    }
}
