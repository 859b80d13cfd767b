package io.runnel.cli.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.cli.CliRunner;
import io.runnel.cli.CommandFactory;
import io.runnel.cli.client.FakeClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code runnel console-consumer} over kafka-clients' MockConsumer. */
class ConsoleConsumerCommandTest {

    private static final String TOPIC = "quickstart-events";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final FakeClients clients = new FakeClients();
    private final MockConsumer<byte[], byte[]> consumer = clients.consumer;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    @BeforeEach
    void twoPartitionsWithThreeAndTwoRecords() {
        Node n = new Node(1, "localhost", 9092);
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, n, new Node[] {n}, new Node[] {n}),
                new PartitionInfo(TOPIC, 1, n, new Node[] {n}, new Node[] {n})));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.updateEndOffsets(Map.of(P0, 3L, P1, 2L));
        consumer.schedulePollTask(() -> {
            add(P0, 0, "k0", "first");
            add(P0, 1, null, "second");
            add(P0, 2, "k2", "third");
            add(P1, 0, "k3", "fourth");
            add(P1, 1, "k4", "fifth");
        });
    }

    private void add(TopicPartition tp, long offset, String key, String value) {
        if (consumer.assignment().contains(tp)) {
            consumer.addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), offset, 1700000000000L + offset,
                    TimestampType.CREATE_TIME, -1, -1, bytes(key), bytes(value), new RecordHeaders(),
                    Optional.empty()));
        }
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private CliRunner.Result consume(String... args) {
        ConsoleConsumerCommand command = new ConsoleConsumerCommand(clients, new PrintStream(stdout, true));
        List<String> full = new ArrayList<>(List.of("console-consumer", "--bootstrap-server", "localhost:9092",
                "--topic", TOPIC));
        full.addAll(Arrays.asList(args));
        return CliRunner.run(CommandFactory.with(command), full.toArray(String[]::new));
    }

    private List<String> printed() {
        return CliRunner.lines(stdout.toString(StandardCharsets.UTF_8));
    }

    @Test
    void fromBeginningWithoutAGroupAssignsEveryPartitionAndPrintsValues() {
        CliRunner.Result r = consume("--from-beginning", "--max-messages", "5");

        assertEquals(0, r.exitCode(), r.err().toString());
        // MockConsumer, like a broker, returns the partitions in no fixed order; within one the order holds.
        List<String> printed = printed();
        assertEquals(Set.of("first", "second", "third", "fourth", "fifth"), Set.copyOf(printed));
        assertTrue(printed.indexOf("first") < printed.indexOf("second")
                && printed.indexOf("second") < printed.indexOf("third")
                && printed.indexOf("fourth") < printed.indexOf("fifth"), printed.toString());
        assertEquals(List.of("Processed a total of 5 messages"), r.err());
        assertEquals(Set.of(P0, P1), consumer.assignment());
        assertTrue(consumer.subscription().isEmpty(), "no group subscription");
        assertNull(clients.consumerProps.getProperty("group.id"));
        assertEquals("earliest", clients.consumerProps.getProperty("auto.offset.reset"));
        assertTrue(consumer.closed());
    }

    @Test
    void withoutFromBeginningItStartsAtTheEnd() {
        CliRunner.Result r = consume("--timeout-ms", "20");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of(), printed());
        assertEquals(List.of("Processed a total of 0 messages"), r.err());
    }

    @Test
    void maxMessagesStopsEarlyAndPrintKeyUsesTheSeparator() {
        CliRunner.Result r = consume("--partition", "0", "--from-beginning", "--max-messages", "2",
                "--property", "print.key=true", "--property", "key.separator=:");
        assertEquals(List.of("k0:first", "null:second"), printed());
        assertEquals(List.of("Processed a total of 2 messages"), r.err());
    }

    @Test
    void everyPrintPropertyTogether() {
        consume("--partition", "1", "--offset", "earliest", "--max-messages", "1", "--property",
                "print.timestamp=true", "--property", "print.partition=true", "--property", "print.offset=true",
                "--property", "print.key=true");
        assertEquals(List.of("CreateTime:1700000000000\tPartition:1\tOffset:0\tk3\tfourth"), printed());
    }

    @Test
    void partitionAndExactOffset() {
        CliRunner.Result r = consume("--partition", "0", "--offset", "1", "--max-messages", "2");
        assertEquals(List.of("second", "third"), printed());
        assertEquals(Set.of(P0), consumer.assignment());
        assertEquals(0, r.exitCode());
    }

    @Test
    void groupSubscribes() {
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
        consumer.schedulePollTask(() -> {
            add(P0, 0, "k0", "first");
            add(P1, 0, "k3", "fourth");
        });
        CliRunner.Result r = consume("--group", "g", "--max-messages", "2");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(Set.of(TOPIC), consumer.subscription());
        assertEquals("g", clients.consumerProps.getProperty("group.id"));
        assertEquals(2, printed().size(), printed().toString());
    }

    @Test
    void wakeupEndsCleanly() {
        consumer.schedulePollTask(consumer::wakeup);
        CliRunner.Result r = consume("--from-beginning");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of("Processed a total of 5 messages"), r.err());
    }

    @Test
    void aConsumerFailureIsOneLineAfterTheCount() {
        consumer.setPollException(new TopicAuthorizationException(Set.of(TOPIC)));
        CliRunner.Result r = consume("--from-beginning");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("Processed a total of 0 messages",
                "runnel: Not authorized to access topics: [quickstart-events]"), r.err());
    }

    @Test
    void unknownTopicOrPartitionIsOneLine() {
        CliRunner.Result r = consume("--partition", "7");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("runnel: Partition 7 of topic 'quickstart-events' does not exist (the topic has 2 "
                + "partitions)"), r.err());

        ConsoleConsumerCommand command = new ConsoleConsumerCommand(new FakeClients(), new PrintStream(stdout, true));
        CliRunner.Result missing = CliRunner.run(CommandFactory.with(command), "console-consumer",
                "--bootstrap-server", "localhost:9092", "--topic", "nope", "--consumer-property",
                "allow.auto.create.topics=false");
        assertEquals(1, missing.exitCode());
        assertEquals(List.of("runnel: Topic 'nope' does not exist"), missing.err());
    }

    @Test
    void usageErrorsExitTwoWithKafkasMessages() {
        Map<List<String>, String> cases = Map.of(
                List.of("--offset", "5"), "The partition is required when offset is specified.",
                List.of("--partition", "0", "--offset", "5", "--from-beginning"),
                "Options from-beginning and offset cannot be specified together.",
                List.of("--partition", "0", "--group", "g"), "Options group and partition cannot be specified together.",
                List.of("--partition", "0", "--offset", "x"), "The provided offset value 'x' is incorrect. Valid "
                        + "values are 'earliest', 'latest', or a non-negative long.",
                List.of("--group", "a", "--consumer-property", "group.id=b"), "The group ids provided in different "
                        + "places (directly using '--group', via '--consumer-property', or via '--consumer.config') "
                        + "do not match. Detected group ids: 'a', 'b'",
                List.of("--from-beginning", "--consumer-property", "auto.offset.reset=latest"),
                "Can't simultaneously specify --from-beginning and 'auto.offset.reset=latest', please remove one "
                        + "option",
                List.of("--max-messages", "many"), "Invalid value for option '--max-messages': 'many' is not an int");
        cases.forEach((args, message) -> {
            CliRunner.Result r = consume(args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), args + " " + r.err());
            assertEquals(List.of("runnel: " + message, "Run 'runnel console-consumer --help' for usage."), r.err());
            assertNull(clients.consumerProps, args.toString());
        });
        assertFalse(consumer.closed());
    }
}
