package io.runnel.cli.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.cli.CliRunner;
import io.runnel.cli.CommandFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** {@code runnel topics} against an in-memory {@link FakeTopicAdmin}: outputs, broker errors, exit codes. */
class TopicsCommandTest {

    private final FakeTopicAdmin admin = new FakeTopicAdmin();
    private String bootstrap = "localhost:9092";

    private CliRunner.Result topics(String... args) {
        TopicsCommand command = new TopicsCommand(props -> {
            admin.openedWith = props;
            return admin;
        });
        List<String> full = new ArrayList<>(List.of("topics", "--bootstrap-server", bootstrap));
        full.addAll(Arrays.asList(args));
        return CliRunner.run(CommandFactory.with(command), full.toArray(String[]::new));
    }

    @Test
    void createPrintsKafkasLineAndPassesPartitionsReplicationAndConfigs() {
        CliRunner.Result r = topics("--create", "--topic", "quickstart-events", "--partitions", "3",
                "--replication-factor", "1", "--config", "retention.ms=1000", "--config", "cleanup.policy = compact");

        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of("Created topic quickstart-events."), r.out());
        assertEquals(List.of(), r.err());
        assertEquals(List.of("createTopic quickstart-events 3 1 {retention.ms=1000, cleanup.policy=compact}"),
                admin.calls);
        assertTrue(admin.closed);
        assertEquals("localhost:9092", admin.openedWith.getProperty("bootstrap.servers"));
        assertEquals("30000", admin.openedWith.getProperty("default.api.timeout.ms"));
        assertEquals("10000", admin.openedWith.getProperty("request.timeout.ms"));
    }

    @Test
    void createWithoutCountsLeavesThemToTheBroker() {
        assertEquals(0, topics("--create", "--topic", "t").exitCode());
        assertEquals(List.of("createTopic t -1 -1 {}"), admin.calls);
    }

    @Test
    void createWarnsAboutCollidingCharactersAsKafkaDoes() {
        CliRunner.Result r = topics("--create", "--topic", "my.topic");
        assertEquals(List.of("WARNING: Due to limitations in metric names, topics with a period ('.') or underscore "
                + "('_') could collide. To avoid issues it is best to use either, but not both.",
                "Created topic my.topic."), r.out());
    }

    @Test
    void createOfAnExistingTopicFailsWithKafkasMessageUnlessIfNotExists() {
        admin.add("t", 1, 1, 1, Map.of());

        CliRunner.Result r = topics("--create", "--topic", "t");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("runnel: Topic 't' already exists."), r.err());
        assertEquals(List.of(), r.out());

        CliRunner.Result quiet = topics("--create", "--topic", "t", "--if-not-exists");
        assertEquals(0, quiet.exitCode());
        assertEquals(List.of(), quiet.out());
        assertEquals(List.of(), quiet.err());
    }

    @Test
    void listPrintsSortedNamesFilteredByRegexAndInternalFlag() {
        admin.add("b", 1, 1, 1, Map.of()).add("a", 1, 1, 1, Map.of()).add("__consumer_offsets", 1, 1, 1, Map.of())
                .add("a1", 1, 1, 1, Map.of());

        assertEquals(List.of("__consumer_offsets", "a", "a1", "b"), topics("--list").out());
        assertEquals(List.of("a", "a1", "b"), topics("--list", "--exclude-internal").out());
        assertEquals(List.of("a", "a1"), topics("--list", "--topic", "a.*").out());
        assertEquals(List.of("a", "b"), topics("--list", "--topic", "a,b").out());
        assertEquals(List.of(), topics("--list", "--topic", "zzz").out());
    }

    @Test
    void describePrintsKafkasLayout() {
        admin.add("quickstart-events", 3, 1, 1, Map.of("retention.ms", "1000"));
        String id = admin.topics.get("quickstart-events").id().toString();

        CliRunner.Result r = topics("--describe", "--topic", "quickstart-events");

        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of(
                "Topic: quickstart-events\tTopicId: " + id + "\tPartitionCount: 3\tReplicationFactor: 1\t"
                        + "Configs: retention.ms=1000,segment.bytes=1073741824",
                "\tTopic: quickstart-events\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A",
                "\tTopic: quickstart-events\tPartition: 1\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A",
                "\tTopic: quickstart-events\tPartition: 2\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A"),
                r.out());
    }

    @Test
    void describeOfAnUnknownTopicIsOneLineUnlessIfExists() {
        CliRunner.Result r = topics("--describe", "--topic", "nope");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("runnel: Topic 'nope' does not exist as expected"), r.err());

        CliRunner.Result quiet = topics("--describe", "--topic", "nope", "--if-exists");
        assertEquals(0, quiet.exitCode());
        assertEquals(List.of(), quiet.out());
    }

    @Test
    void describeReportFlagsSelectPartitionsAndDropTopicLines() {
        admin.add("healthy", 2, 1, 1, Map.of()).add("lagging", 2, 3, 1, Map.of());
        admin.setPartition("healthy", new TopicPartitionInfo(1, null, List.of(new Node(1, "h", 1)), List.of()));

        assertEquals(List.of(
                "\tTopic: healthy\tPartition: 1\tLeader: none\tReplicas: 1\tIsr: \tElr: N/A\tLastKnownElr: N/A",
                "\tTopic: lagging\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1\tElr: N/A\tLastKnownElr: N/A",
                "\tTopic: lagging\tPartition: 1\tLeader: 1\tReplicas: 1,2,3\tIsr: 1\tElr: N/A\tLastKnownElr: N/A"),
                topics("--describe", "--under-replicated-partitions").out());
        assertEquals(List.of(
                "\tTopic: healthy\tPartition: 1\tLeader: none\tReplicas: 1\tIsr: \tElr: N/A\tLastKnownElr: N/A"),
                topics("--describe", "--unavailable-partitions").out());
    }

    @Test
    void describeTopicsWithOverridesPrintsOnlyTopicLines() {
        admin.add("plain", 1, 1, 1, Map.of()).add("tuned", 1, 1, 1, Map.of("retention.ms", "5"));
        List<String> out = topics("--describe", "--topics-with-overrides").out();
        assertEquals(2, out.size(), out.toString()); // segment.bytes is a static broker override for both
        assertTrue(out.stream().allMatch(l -> l.startsWith("Topic: ")), out.toString());
    }

    @Test
    void alterRaisesPartitionsAndSetsConfigsOnEveryMatchingTopic() {
        admin.add("t1", 1, 1, 1, Map.of()).add("t2", 1, 1, 1, Map.of()).add("other", 1, 1, 1, Map.of());

        CliRunner.Result r = topics("--alter", "--topic", "t.", "--partitions", "4", "--config", "retention.ms=9");

        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of(), r.out());
        assertEquals(4, admin.topics.get("t1").partitions().size());
        assertEquals(4, admin.topics.get("t2").partitions().size());
        assertEquals(1, admin.topics.get("other").partitions().size());
        assertEquals("9", admin.topics.get("t2").configs().get("retention.ms"));
    }

    @Test
    void alterToFewerPartitionsReportsTheBrokersMessage() {
        admin.add("t", 3, 1, 1, Map.of());
        CliRunner.Result r = topics("--alter", "--topic", "t", "--partitions", "2");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("runnel: Topic currently has 3 partitions, which is higher than the requested 2."),
                r.err());
    }

    @Test
    void deleteRemovesMatchingTopicsAndFailsForNoneUnlessIfExists() {
        admin.add("quickstart-events", 3, 1, 1, Map.of()).add("keep", 1, 1, 1, Map.of());

        CliRunner.Result r = topics("--delete", "--topic", "quickstart-events");
        assertEquals(0, r.exitCode());
        assertEquals(List.of(), r.out());
        assertEquals(List.of("keep"), new ArrayList<>(admin.topics.keySet()));

        assertEquals(1, topics("--delete", "--topic", "quickstart-events").exitCode());
        assertEquals(0, topics("--delete", "--topic", "quickstart-events", "--if-exists").exitCode());
    }

    @Test
    void aTimeoutWithNothingListeningSaysTheBrokerCannotBeReached() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        bootstrap = "127.0.0.1:" + port;
        admin.failure = new TimeoutException("Timed out waiting for a node assignment. Call: listTopics");

        CliRunner.Result r = topics("--list");

        assertEquals(1, r.exitCode());
        assertEquals(List.of("runnel: cannot reach broker at 127.0.0.1:" + port), r.err());
    }

    @Test
    void aTimeoutFromAListeningBrokerNamesTheTimeout() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            bootstrap = "127.0.0.1:" + s.getLocalPort();
            admin.failure = new TimeoutException("Timed out waiting for a node assignment. Call: listTopics");

            CliRunner.Result r = topics("--list");

            assertEquals(1, r.exitCode());
            assertEquals(List.of("runnel: timed out talking to the broker at " + bootstrap
                    + ": Timed out waiting for a node assignment. Call: listTopics"), r.err());
        }
    }

    @Test
    void verboseAddsTheStackTrace() {
        admin.failure = new TimeoutException("boom");
        bootstrap = "localhost:1";
        CliRunner.Result r = topics("--list", "--verbose");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().get(0).startsWith("runnel: "), r.err().toString());
        assertTrue(r.err().size() > 2, r.err().toString());
    }

    @Test
    void usageErrorsAreOneLinePlusHintExitTwoAndNeverConnect() {
        Map<List<String>, String> cases = Map.ofEntries(
                Map.entry(List.of(), "Command must include exactly one action: --list, --describe, --create, "
                        + "--alter or --delete"),
                Map.entry(List.of("--list", "--describe"), "Command must include exactly one action: --list, "
                        + "--describe, --create, --alter or --delete"),
                Map.entry(List.of("--create"), "--topic is required with --create"),
                Map.entry(List.of("--delete"), "--topic is required with --delete"),
                Map.entry(List.of("--alter", "--partitions", "2"), "--topic is required with --alter"),
                Map.entry(List.of("--describe", "--if-exists"), "--topic is required with --describe --if-exists"),
                Map.entry(List.of("--create", "--topic", "t", "--config", "nokey"),
                        "Invalid topic config 'nokey': all configs must be in the format \"key=val\"."),
                Map.entry(List.of("--create", "--topic", "t", "--config", "a=b=c"),
                        "Invalid topic config 'a=b=c': all configs must be in the format \"key=val\"."),
                Map.entry(List.of("--list", "--replication-factor", "1"),
                        "--replication-factor can only be used with --create"),
                Map.entry(List.of("--describe", "--partitions", "1"),
                        "--partitions can only be used with --create or --alter"),
                Map.entry(List.of("--list", "--config", "a=b"), "--config can only be used with --create or --alter"),
                Map.entry(List.of("--delete", "--topic", "t", "--if-not-exists"),
                        "--if-not-exists can only be used with --create"),
                Map.entry(List.of("--create", "--topic", "t", "--if-exists"),
                        "--if-exists can only be used with --alter, --delete or --describe"),
                Map.entry(List.of("--list", "--under-replicated-partitions"),
                        "--under-replicated-partitions can only be used with --describe"),
                Map.entry(List.of("--describe", "--unavailable-partitions", "--topics-with-overrides"),
                        "--topics-with-overrides cannot be used with --unavailable-partitions"),
                Map.entry(List.of("--create", "--topic", "t", "--exclude-internal"),
                        "--exclude-internal can only be used with --list or --describe"),
                Map.entry(List.of("--alter", "--topic", "t"), "--alter needs --partitions and/or --config"),
                Map.entry(List.of("--create", "--topic", "t", "--partitions", "0"),
                        "The partitions must be greater than 0"),
                Map.entry(List.of("--create", "--topic", "t", "--replication-factor", "40000"),
                        "The replication factor must be between 1 and 32767 inclusive"),
                Map.entry(List.of("--list", "--topic", "("), "invalid --topic '(': not a regular expression "
                        + "(Unclosed group)"),
                Map.entry(List.of("--create", "--topic", "bad/name"), "Topic name is invalid: 'bad/name' contains "
                        + "one or more characters other than ASCII alphanumerics, '.', '_' and '-'"),
                Map.entry(List.of("--create", "--topic", "t", "--partitions", "x"),
                        "Invalid value for option '--partitions': 'x' is not an int"));
        cases.forEach((args, message) -> {
            CliRunner.Result r = topics(args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), args + " -> " + r.err());
            assertEquals(List.of("runnel: " + message, "Run 'runnel topics --help' for usage."), r.err(),
                    args.toString());
            assertEquals(List.of(), r.out(), args.toString());
            assertNull(admin.openedWith, args + " must not connect");
        });
    }

    @Test
    void missingBootstrapServerIsAUsageError() {
        CliRunner.Result r = CliRunner.run("topics", "--list");
        assertEquals(2, r.exitCode());
        assertEquals("runnel: Missing required option: '--bootstrap-server=HOST:PORT'", r.err().get(0));
        assertFalse(admin.closed);
    }
}
