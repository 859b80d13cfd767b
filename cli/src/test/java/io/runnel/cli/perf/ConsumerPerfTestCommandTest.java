package io.runnel.cli.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.cli.CliRunner;
import io.runnel.cli.CommandFactory;
import io.runnel.cli.client.FakeClients;
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
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code runnel consumer-perf-test} over kafka-clients' MockConsumer. */
class ConsumerPerfTestCommandTest {

    private static final String HEADER = "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, "
            + "nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec";
    private static final String SUMMARY = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d:\\d{3}, "
            + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d:\\d{3}, \\d+\\.\\d{4}, \\d+\\.\\d{4}, %d, \\d+\\.\\d{4}, \\d+, "
            + "-?\\d+, \\d+\\.\\d{4}, \\d+\\.\\d{4}";
    private static final TopicPartition P0 = new TopicPartition("perf", 0);

    private final FakeClients clients = new FakeClients();
    private final MockConsumer<byte[], byte[]> consumer = clients.consumer;
    private boolean recordsScheduled;

    @BeforeEach
    void onePartition() {
        Node n = new Node(1, "localhost", 9092);
        consumer.updatePartitions("perf", List.of(new PartitionInfo("perf", 0, n, new Node[] {n}, new Node[] {n})));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, 3L));
    }

    /** Three records of a 3-byte key and a 100-byte value, added at the next poll. */
    private void threeRecordsAtNextPoll() {
        recordsScheduled = true;
        consumer.schedulePollTask(() -> {
            for (int i = 0; i < 3; i++) {
                consumer.addRecord(new ConsumerRecord<>("perf", 0, i, 0L, TimestampType.CREATE_TIME, -1, -1,
                        "key".getBytes(StandardCharsets.UTF_8), new byte[100], new RecordHeaders(),
                        Optional.empty()));
            }
        });
    }

    private CliRunner.Result perf(String... args) {
        if (!recordsScheduled) {
            threeRecordsAtNextPoll();
        }
        List<String> full = new ArrayList<>(List.of("consumer-perf-test", "--bootstrap-server", "localhost:9092",
                "--topic", "perf"));
        full.addAll(Arrays.asList(args));
        return CliRunner.run(CommandFactory.with(new ConsumerPerfTestCommand(clients)), full.toArray(String[]::new));
    }

    @Test
    void readsTheRequestedCountByAssignmentAndPrintsHeaderAndSummary() {
        CliRunner.Result r = perf("--messages", "3");

        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(2, r.out().size(), r.out().toString());
        assertEquals(HEADER, r.out().get(0));
        assertTrue(r.out().get(1).matches(String.format(SUMMARY, 3)), r.out().get(1));
        assertTrue(r.out().get(1).contains(", 0.0003, "), "309 bytes = 0.0003 MB: " + r.out().get(1));
        assertEquals(Set.of(P0), consumer.assignment());
        assertEquals("earliest", clients.consumerProps.getProperty("auto.offset.reset"));
        assertEquals("1048576", clients.consumerProps.getProperty("max.partition.fetch.bytes"));
        assertTrue(consumer.closed());
    }

    @Test
    void aShortTopicEndsAtTheTimeoutWithKafkasWarning() {
        CliRunner.Result r = perf("--num-records", "10", "--timeout", "0", "--hide-header");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(ConsumerPerfFormat.timeoutWarning(0), r.out().get(0));
        assertTrue(r.out().get(1).matches(String.format(SUMMARY, 3)), r.out().get(1));
    }

    @Test
    void detailedStatsPrintTheDetailedHeaderAndNoSummary() {
        CliRunner.Result r = perf("--messages", "3", "--show-detailed-stats", "--reporting-interval", "3600000");
        assertEquals(List.of(ConsumerPerfFormat.header(true)), r.out());
    }

    @Test
    void groupSubscribes() {
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0)));
        threeRecordsAtNextPoll();
        CliRunner.Result r = perf("--messages", "1", "--group", "pg", "--timeout", "0");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(Set.of("perf"), consumer.subscription());
        assertEquals("pg", clients.consumerProps.getProperty("group.id"));
    }

    @Test
    void usageErrors() {
        for (String[] args : List.of(new String[] {"--messages", "0"}, new String[] {},
                new String[] {"--messages", "1", "--reporting-interval", "0"},
                new String[] {"--messages", "1", "--date-format", "'unclosed"})) {
            CliRunner.Result r = perf(args);
            assertEquals(2, r.exitCode(), Arrays.toString(args) + r.err());
            assertEquals("Run 'runnel consumer-perf-test --help' for usage.", r.err().get(1));
        }
    }
}
