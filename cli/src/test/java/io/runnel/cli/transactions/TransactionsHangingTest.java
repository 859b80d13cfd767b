package io.runnel.cli.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The decisions of {@link HangingTransactionFinder}: which open transactions are candidates, which hang. */
class TransactionsHangingTest {
    private static final long NOW = 1_000_000_000L;
    private static final long MAX = 15 * 60_000L;
    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);

    private static ProducerState open(long producerId, long ageMs, long startOffset) {
        return new ProducerState(producerId, 0, 0, NOW - ageMs, OptionalInt.of(0), OptionalLong.of(startOffset));
    }

    @Test
    void onlyOpenTransactionsOlderThanTheMaximumTimeoutAreCandidates() {
        ProducerState closed = new ProducerState(1L, 0, 0, NOW - MAX - 1, OptionalInt.of(0), OptionalLong.empty());
        ProducerState young = open(2L, MAX, 10L);
        ProducerState old = open(3L, MAX + 1, 20L);
        List<OpenTransaction> candidates = HangingTransactionFinder.candidates(
                Map.of(T0, new PartitionProducerState(List.of(closed, young, old))), MAX, NOW);
        assertEquals(List.of(new OpenTransaction(T0, old)), candidates);
        assertEquals(List.of(new OpenTransaction(T0, young), new OpenTransaction(T0, old)),
                HangingTransactionFinder.candidates(
                        Map.of(T0, new PartitionProducerState(List.of(closed, young, old))), -1, NOW),
                "a negative timeout takes every open transaction");
    }

    @Test
    void aCandidateHangsUnlessItsCoordinatorStillHasThePartitionInTheTransaction() {
        OpenTransaction unknownProducer = new OpenTransaction(T0, open(10L, MAX * 2, 1L));
        OpenTransaction unknownId = new OpenTransaction(T0, open(11L, MAX * 2, 2L));
        OpenTransaction otherPartition = new OpenTransaction(T1, open(12L, MAX * 2, 3L));
        OpenTransaction ongoing = new OpenTransaction(T0, open(12L, MAX * 2, 4L));
        Map<Long, String> ids = Map.of(11L, "gone", 12L, "live");
        Map<String, TransactionDescription> descriptions = new HashMap<>();
        descriptions.put("gone", null);
        descriptions.put("live", new TransactionDescription(1, TransactionState.ONGOING, 12L, 0, 60_000L,
                OptionalLong.of(NOW - 1000), Set.of(T0)));
        assertEquals(List.of(unknownProducer, unknownId, otherPartition), HangingTransactionFinder.hanging(
                List.of(unknownProducer, unknownId, otherPartition, ongoing), ids, descriptions));
    }
}
