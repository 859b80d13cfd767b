package io.runnel.cli.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The tables of {@code transactions}, from kafka-clients result objects: Kafka's columns, padding and tabs. */
class TransactionsTablesTest {

    @Test
    void aTablePadsEachColumnToItsWidestCellAndEndsEveryCellWithATab() {
        assertEquals(List.of("A   \tLong\t", "wide\tx   \t", "w   \t    \t"),
                TextTable.format(List.of("A", "Long"), List.of(List.of("wide", "x"), List.of("w", ""))));
        assertEquals(List.of("A\tB\t"), TextTable.format(List.of("A", "B"), List.of()));
    }

    @Test
    void listHasOneRowPerTransactionByCoordinator() {
        List<String> lines = TransactionTables.list(Map.of(
                2, List.of(new TransactionListing("payments", 7000L, TransactionState.ONGOING)),
                1, List.of(new TransactionListing("orders", 12L, TransactionState.COMPLETE_COMMIT),
                        new TransactionListing("audit", 3L, TransactionState.EMPTY))));
        assertEquals(List.of(
                "TransactionalId\tCoordinator\tProducerId\tTransactionState\t",
                "audit          \t1          \t3         \tEmpty           \t",
                "orders         \t1          \t12        \tCompleteCommit  \t",
                "payments       \t2          \t7000      \tOngoing         \t"), lines);
        assertEquals(List.of("TransactionalId\tCoordinator\tProducerId\tTransactionState\t"),
                TransactionTables.list(Map.of()));
    }

    @Test
    void describeShowsTheDurationSinceTheStartOrNone() {
        TransactionDescription ongoing = new TransactionDescription(1, TransactionState.ONGOING, 42L, 3, 60000L,
                OptionalLong.of(1_000L), Set.of(new TopicPartition("b", 0), new TopicPartition("a", 10),
                        new TopicPartition("a", 2)));
        List<String> lines = TransactionTables.describe("orders", ongoing, 4_500L);
        assertEquals(2, lines.size());
        assertEquals(List.of("CoordinatorId", "TransactionalId", "ProducerId", "ProducerEpoch", "TransactionState",
                "TransactionTimeoutMs", "CurrentTransactionStartTimeMs", "TransactionDurationMs", "TopicPartitions"),
                cells(lines.get(0)));
        assertEquals(List.of("1", "orders", "42", "3", "Ongoing", "60000", "1000", "3500", "a-2,a-10,b-0"),
                cells(lines.get(1)));
        assertEquals("CoordinatorId\tTransactionalId\tProducerId\tProducerEpoch\tTransactionState\t"
                + "TransactionTimeoutMs\tCurrentTransactionStartTimeMs\tTransactionDurationMs\tTopicPartitions\t",
                lines.get(0));

        TransactionDescription empty = new TransactionDescription(3, TransactionState.EMPTY, 43L, 0, 60000L,
                OptionalLong.empty(), Set.of());
        assertEquals(List.of("3", "idle", "43", "0", "Empty", "60000", "None", "None", ""),
                cells(TransactionTables.describe("idle", empty, 9L).get(1)));
    }

    @Test
    void producersShowNoneWithoutAnOpenTransactionAndMinusOneWithoutACoordinatorEpoch() {
        List<String> lines = TransactionTables.producers(List.of(
                new ProducerState(1000L, 0, 2, 1_700_000_000_000L, OptionalInt.of(0), OptionalLong.empty()),
                new ProducerState(1001L, 1, 1, 1_700_000_000_500L, OptionalInt.empty(), OptionalLong.of(4L))));
        assertEquals(List.of("ProducerId", "ProducerEpoch", "LatestCoordinatorEpoch", "LastSequence",
                "LastTimestamp", "CurrentTransactionStartOffset"), cells(lines.get(0)));
        assertEquals(List.of("1000", "0", "0", "2", "1700000000000", "None"), cells(lines.get(1)));
        assertEquals(List.of("1001", "1", "-1", "1", "1700000000500", "4"), cells(lines.get(2)));
        assertEquals("1001      \t1            \t-1                    \t1           \t1700000000500\t4"
                + " ".repeat("CurrentTransactionStartOffset".length() - 1) + "\t", lines.get(2));
    }

    @Test
    void hangingShowsWholeMinutesSinceTheLastWrite() {
        long now = 100 * 60_000L;
        OpenTransaction old = new OpenTransaction(new TopicPartition("t", 1),
                new ProducerState(9L, 2, 5, now - 20 * 60_000L - 59_000L, OptionalInt.of(4), OptionalLong.of(77L)));
        OpenTransaction first = new OpenTransaction(new TopicPartition("t", 0),
                new ProducerState(8L, 0, 0, now - 16 * 60_000L, OptionalInt.empty(), OptionalLong.of(3L)));
        List<String> lines = TransactionTables.hanging(List.of(old, first), now);
        assertEquals(List.of("Topic", "Partition", "ProducerId", "ProducerEpoch", "CoordinatorEpoch", "StartOffset",
                "LastTimestamp", "Duration(min)"), cells(lines.get(0)));
        assertEquals(List.of("t", "0", "8", "0", "-1", "3", String.valueOf(now - 16 * 60_000L), "16"),
                cells(lines.get(1)));
        assertEquals(List.of("t", "1", "9", "2", "4", "77", String.valueOf(now - 20 * 60_000L - 59_000L), "20"),
                cells(lines.get(2)));
    }

    /** A line's cells without their padding. */
    static List<String> cells(String line) {
        return List.of(line.split("\t", -1)).subList(0, line.split("\t", -1).length - 1).stream()
                .map(String::strip).toList();
    }
}
