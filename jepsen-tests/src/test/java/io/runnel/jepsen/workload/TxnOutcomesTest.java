package io.runnel.jepsen.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.jepsen.history.Op;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/** {@link Outcomes#classifyCommit}: which errors of {@code commitTransaction()} prove it did not commit. */
class TxnOutcomesTest {

    @Test
    void aFencedProducerCertainlyDidNotCommit() {
        assertEquals(Op.Type.FAIL, Outcomes.classifyCommit(new ProducerFencedException("fenced")));
        assertEquals(Op.Type.FAIL, Outcomes.classifyCommit(new InvalidProducerEpochException("epoch")));
        assertEquals(Op.Type.FAIL, Outcomes.classifyCommit(new KafkaException("wrapped",
                new ProducerFencedException("fenced"))));
        assertEquals(Op.Type.FAIL, Outcomes.classifyCommit(new UnknownTopicOrPartitionException("gone")));
    }

    @Test
    void timeoutsAndUnknownErrorsMayHaveCommitted() {
        assertEquals(Op.Type.INFO, Outcomes.classifyCommit(new TimeoutException("commit")));
        assertEquals(Op.Type.INFO, Outcomes.classifyCommit(new UnknownServerException("?")));
        assertEquals(Op.Type.INFO, Outcomes.classifyCommit(new KafkaException("no cause")));
        assertEquals(Op.Type.INFO, Outcomes.classifyCommit(new KafkaException("wrapped",
                new TimeoutException("t"))));
    }
}
