package io.runnel.cli.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.cli.CliRunner;
import io.runnel.cli.CommandFactory;
import io.runnel.cli.ErrorHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.junit.jupiter.api.Test;

/** The {@code transactions} subcommands run against {@link FakeTransactionAdmin}: the calls made and what is printed. */
class TransactionsFakeAdminTest {
    private static final long NOW = 100 * 60_000L;
    private static final TopicPartition T0 = new TopicPartition("t", 0);

    private final FakeTransactionAdmin fake = new FakeTransactionAdmin();
    /** Never connected to: the commands get their Admin from {@link #fake}. */
    private final String bootstrap = "127.0.0.1:1";

    private CliRunner.Result run(String... args) {
        List<String> line = new ArrayList<>(List.of("transactions", "--bootstrap-server", bootstrap));
        line.addAll(List.of(args));
        CommandFactory factory = CommandFactory.with(
                new ListTransactionsCommand(fake::admin),
                new DescribeTransactionCommand(fake::admin, () -> NOW),
                new DescribeProducersCommand(fake::admin),
                new AbortTransactionCommand(fake::admin),
                new FindHangingCommand(fake::admin, () -> NOW));
        return CliRunner.run(factory, line.toArray(String[]::new));
    }

    private static ProducerState producer(long id, int epoch, Integer coordinatorEpoch, long ageMs, Long start) {
        return new ProducerState(id, epoch, 4, NOW - ageMs,
                coordinatorEpoch == null ? OptionalInt.empty() : OptionalInt.of(coordinatorEpoch),
                start == null ? OptionalLong.empty() : OptionalLong.of(start));
    }

    @Test
    void abortByStartOffsetAbortsTheProducerWhoseTransactionStartsThere() {
        fake.producers.put(T0, List.of(producer(1001L, 0, 2, 0, null), producer(1000L, 3, 5, 0, 42L)));
        CliRunner.Result r = run("abort", "--topic", "t", "--partition", "0", "--start-offset", "42");
        assertEquals(0, r.exitCode(), r.err()::toString);
        assertEquals(List.of(), r.out());
        assertEquals(List.of(new AbortTransactionSpec(T0, 1000L, (short) 3, 5)), fake.aborted);

        CliRunner.Result none = run("abort", "--topic", "t", "--partition", "0", "--start-offset", "7");
        assertEquals(ErrorHandlers.EXIT_FAILURE, none.exitCode());
        assertEquals(List.of("runnel: Could not find any open transactions starting at offset 7 on partition t-0"),
                none.err());
        assertEquals(1, fake.aborted.size());
    }

    @Test
    void abortByProducerNeedsNoLookupAndTakesCoordinatorEpochZeroForMinusOne() {
        CliRunner.Result r = run("abort", "--topic", "t", "--partition", "0", "--producer-id", "9",
                "--producer-epoch", "2", "--coordinator-epoch", "-1");
        assertEquals(0, r.exitCode(), r.err()::toString);
        assertEquals(List.of(new AbortTransactionSpec(T0, 9L, (short) 2, 0)), fake.aborted);
        assertEquals(List.of(), fake.describedPartitions);
    }

    @Test
    void describeProducersAsksTheBrokerGivenAndPrintsKafkasTable() {
        List<ProducerState> states = List.of(producer(5L, 1, null, 10, 17L));
        fake.producers.put(T0, states);
        CliRunner.Result r = run("describe-producers", "--topic", "t", "--partition", "0", "--broker-id", "2");
        assertEquals(0, r.exitCode(), r.err()::toString);
        assertEquals(TransactionTables.producers(states), r.out());
        assertEquals(OptionalInt.of(2), fake.producerOptions.get(0).brokerId());

        fake.producerErrors.put(T0, new NotLeaderOrFollowerException("Not the leader of t-0."));
        CliRunner.Result failed = run("describe-producers", "--topic", "t", "--partition", "0");
        assertEquals(ErrorHandlers.EXIT_FAILURE, failed.exitCode());
        assertEquals(List.of("runnel: Failed to describe producers for partition t-0 on leader: "
                + "NOT_LEADER_OR_FOLLOWER: Not the leader of t-0."), failed.err());
    }

    @Test
    void describeAndListPrintTheCoordinatorsAnswers() {
        TransactionDescription d = new TransactionDescription(1, TransactionState.ONGOING, 7L, 0, 60_000L,
                OptionalLong.of(NOW - 5_000), Set.of(T0));
        fake.descriptions.put("orders", d);
        CliRunner.Result r = run("describe", "--transactional-id", "orders");
        assertEquals(0, r.exitCode(), r.err()::toString);
        assertEquals(TransactionTables.describe("orders", d, NOW), r.out());
        assertEquals("5000", TransactionsTablesTest.cells(r.out().get(1)).get(7));

        CliRunner.Result unknown = run("describe", "--transactional-id", "nope");
        assertEquals(ErrorHandlers.EXIT_FAILURE, unknown.exitCode());
        assertEquals(List.of("runnel: Failed to describe transaction state of transactional-id 'nope': "
                + "TRANSACTIONAL_ID_NOT_FOUND: No transactional id nope"), unknown.err());

        fake.listings.put(1, List.of(new TransactionListing("orders", 7L, TransactionState.ONGOING)));
        CliRunner.Result listed = run("list", "--duration-filter", "1000", "--transactional-id-pattern", "ord.*");
        assertEquals(0, listed.exitCode(), listed.err()::toString);
        assertEquals(TransactionTables.list(Map.of(1, fake.listings.get(1))), listed.out());
        assertEquals(1000L, fake.listOptions.get(0).filteredDuration());
        assertEquals("ord.*", fake.listOptions.get(0).filteredTransactionalIdPattern());
    }

    @Test
    void findHangingSearchesTheBrokersPartitionsAndKeepsWhatNoCoordinatorWillFinish() {
        Node n1 = new Node(1, "h", 1);
        Node n2 = new Node(2, "h", 2);
        fake.topics.put("t", new TopicDescription("t", false, List.of(
                new TopicPartitionInfo(0, n1, List.of(n1, n2), List.of(n1, n2)),
                new TopicPartitionInfo(1, n2, List.of(n2), List.of(n2)))));
        long old = 20 * 60_000L;
        ProducerState orphan = producer(7L, 0, 1, old, 3L);
        ProducerState live = producer(8L, 0, 1, old, 9L);
        ProducerState recent = producer(9L, 0, 1, 60_000L, 12L);
        fake.producers.put(T0, List.of(orphan, live, recent));
        fake.listings.put(1, List.of(new TransactionListing("live", 8L, TransactionState.ONGOING)));
        fake.descriptions.put("live", new TransactionDescription(1, TransactionState.ONGOING, 8L, 0, 60_000L,
                OptionalLong.of(NOW - old), Set.of(T0)));

        CliRunner.Result r = run("find-hanging", "--broker-id", "1");
        assertEquals(0, r.exitCode(), r.err()::toString);
        assertEquals(TransactionTables.hanging(List.of(new OpenTransaction(T0, orphan)), NOW), r.out());
        assertEquals(List.of(List.of(T0)), fake.describedPartitions, "only partitions with a replica on broker 1");
        assertEquals(OptionalInt.of(1), fake.producerOptions.get(0).brokerId());
        assertEquals(Set.of(7L, 8L), fake.listOptions.get(0).filteredProducerIds());

        CliRunner.Result nothing = run("find-hanging", "--topic", "t", "--partition", "0",
                "--max-transaction-timeout", "30");
        assertEquals(0, nothing.exitCode(), nothing.err()::toString);
        assertEquals(List.of(String.join("\t", TransactionTables.HANGING_HEADERS) + "\t"), nothing.out());
        assertTrue(fake.producerOptions.get(1).brokerId().isEmpty(), "the leader");
    }
}
