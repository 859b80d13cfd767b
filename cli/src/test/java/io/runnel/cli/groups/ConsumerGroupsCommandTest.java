package io.runnel.cli.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.cli.CliRunner;
import io.runnel.cli.CommandFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** {@code runnel consumer-groups} against an in-memory {@link FakeGroupAdmin}: layouts, JSON, errors, exit codes. */
class ConsumerGroupsCommandTest {
    private final FakeGroupAdmin admin = new FakeGroupAdmin();

    private CliRunner.Result groups(String... args) {
        ConsumerGroupsCommand command = new ConsumerGroupsCommand((props, timeout) -> {
            admin.timeoutMs = timeout;
            return admin;
        });
        List<String> full = new ArrayList<>(List.of("consumer-groups", "--bootstrap-server", "localhost:9092"));
        full.addAll(Arrays.asList(args));
        return CliRunner.run(CommandFactory.with(command), full.toArray(String[]::new));
    }

    /** Group g: c1 owns t-0 and t-1, c2 owns t-2; offsets 5, 10, none, and 2 on the unowned t-3; log ends at 10. */
    private void stableGroup() {
        admin.topic("t", 4, 0, 10);
        admin.group("g", GroupState.STABLE,
                new FakeGroupAdmin.Member("c1-1", null, "c1", "/127.0.0.1",
                        List.of(new TopicPartition("t", 1), new TopicPartition("t", 0))),
                new FakeGroupAdmin.Member("c2-1", null, "c2", "/127.0.0.2", List.of(new TopicPartition("t", 2))));
        admin.commit("g", "t", 0, 5);
        admin.commit("g", "t", 1, 10);
        admin.commit("g", "t", 3, 2);
    }

    @Test
    void describeShowsKafkasColumnsAndATotalLagLinePerTopic() {
        stableGroup();
        CliRunner.Result r = groups("--describe", "--group", "g");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of(
                "",
                "GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             "
                        + "CONSUMER-ID     HOST            CLIENT-ID",
                "g               t               0          5               10              5               "
                        + "c1-1            /127.0.0.1      c1",
                "g               t               1          10              10              0               "
                        + "c1-1            /127.0.0.1      c1",
                "g               t               2          -               10              -               "
                        + "c2-1            /127.0.0.2      c2",
                "g               t               3          2               10              8               "
                        + "-               -               -",
                "Total lag of topic t: 13 (1 partition without a committed offset)"), r.out());
        assertEquals(List.of(), r.err());
        assertTrue(admin.closed);
        assertEquals(5000, admin.timeoutMs);
    }

    @Test
    void verboseDescribeAddsTheLeaderEpoch() {
        stableGroup();
        CliRunner.Result r = groups("--describe", "--group", "g", "--verbose");
        assertEquals("GROUP           TOPIC           PARTITION  LEADER-EPOCH    CURRENT-OFFSET  LOG-END-OFFSET  "
                + "LAG             CONSUMER-ID     HOST            CLIENT-ID", r.out().get(1));
        assertEquals("g               t               0          4               5               10              "
                + "5               c1-1            /127.0.0.1      c1", r.out().get(2));
    }

    @Test
    void anEmptyGroupIsNotedOnStderrAndItsOffsetsShown() {
        admin.topic("t", 1, 0, 7);
        admin.group("idle", GroupState.EMPTY);
        admin.commit("idle", "t", 0, 7);
        CliRunner.Result r = groups("--describe", "--group", "idle");
        assertEquals(0, r.exitCode());
        assertEquals(List.of("", "Consumer group 'idle' has no active members."), r.err());
        assertEquals("idle            t               0          7               7               0               "
                + "-               -               -", r.out().get(2));
        assertEquals("Total lag of topic t: 0", r.out().get(3));
    }

    @Test
    void describingAnUnknownGroupSaysSoAndExitsOne() {
        stableGroup();
        CliRunner.Result r = groups("--describe", "--group", "nope");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("runnel: Consumer group 'nope' does not exist."), r.err());
        assertEquals(List.of(), r.out());

        CliRunner.Result both = groups("--describe", "--group", "g", "--group", "nope", "--members");
        assertEquals(1, both.exitCode());
        assertEquals(List.of("runnel: Consumer group 'nope' does not exist."), both.err());
        assertTrue(both.out().stream().anyMatch(l -> l.startsWith("g ")), both.out().toString());
    }

    @Test
    void allGroupsDescribesEveryGroupInOrder() {
        stableGroup();
        admin.group("a-idle", GroupState.EMPTY);
        CliRunner.Result r = groups("--describe", "--all-groups", "--state");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of("",
                "GROUP           COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE                #MEMBERS",
                "a-idle          localhost:9092  (1)       -                    Empty                0",
                "",
                "GROUP           COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE                #MEMBERS",
                "g               localhost:9092  (1)       range                Stable               2"), r.out());
        assertEquals(List.of("", "Consumer group 'a-idle' has no active members."), r.err());
        CliRunner.Result json = groups("--describe", "--all-groups", "--members", "--output", "json");
        assertTrue(json.out().get(0).startsWith("[{\"group\":\"a-idle\",\"state\":\"Empty\""), json.out().toString());
        assertTrue(json.out().get(0).contains("\"members\":[{\"consumerId\":\"c1-1\",\"groupInstanceId\":null,"
                + "\"host\":\"/127.0.0.1\",\"clientId\":\"c1\",\"partitions\":[{\"topic\":\"t\",\"partition\":0},"
                + "{\"topic\":\"t\",\"partition\":1}]}"), json.out().toString());
    }

    @Test
    void membersAndStateLayouts() {
        stableGroup();
        CliRunner.Result members = groups("--describe", "--group", "g", "--members");
        assertEquals(List.of("",
                "GROUP           CONSUMER-ID     HOST            CLIENT-ID       #PARTITIONS     ",
                "g               c1-1            /127.0.0.1      c1              2               ",
                "g               c2-1            /127.0.0.2      c2              1               "), members.out());
        CliRunner.Result verbose = groups("--describe", "--group", "g", "--members", "--verbose");
        assertEquals("GROUP           CONSUMER-ID     HOST            CLIENT-ID       #PARTITIONS     CURRENT-EPOCH   "
                + "CURRENT-ASSIGNMENT   TARGET-EPOCH    TARGET-ASSIGNMENT   ", verbose.out().get(1));
        assertEquals("g               c1-1            /127.0.0.1      c1              2               -               "
                + "t:0,1                -               -                   ", verbose.out().get(2));
        CliRunner.Result state = groups("--describe", "--group", "g", "--state");
        assertEquals(List.of("",
                "GROUP           COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE                #MEMBERS",
                "g               localhost:9092  (1)       range                Stable               2"),
                state.out());
    }

    @Test
    void listPrintsIdsOrATableWithStatesAndFilters() {
        stableGroup();
        admin.group("a-idle", GroupState.EMPTY);
        assertEquals(List.of("a-idle", "g"), groups("--list").out());
        assertEquals(List.of(
                "GROUP                     STATE               ",
                "a-idle                    Empty               ",
                "g                         Stable              "), groups("--list", "--state").out());
        assertEquals(List.of("GROUP                     STATE               ",
                "g                         Stable              "), groups("--list", "--state", "stable").out());
        CliRunner.Result bad = groups("--list", "--state", "sleeping");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().get(0).startsWith("runnel: Invalid state list 'sleeping'. Valid states are: "),
                bad.err().toString());
    }

    @Test
    void jsonOutputForListAndDescribe() {
        stableGroup();
        assertEquals(List.of("[{\"group\":\"g\",\"state\":\"Stable\",\"type\":\"Classic\"}]"),
                groups("--list", "--output", "json").out());
        CliRunner.Result r = groups("--describe", "--group", "g", "--output", "json");
        assertEquals(0, r.exitCode());
        String json = r.out().get(0);
        assertTrue(json.startsWith("[{\"group\":\"g\",\"state\":\"Stable\",\"coordinator\":{\"id\":1,"
                + "\"host\":\"localhost\",\"port\":9092},\"assignmentStrategy\":\"range\",\"partitions\":["
                + "{\"topic\":\"t\",\"partition\":0,\"leaderEpoch\":4,\"currentOffset\":5,\"logEndOffset\":10,"
                + "\"lag\":5,\"consumerId\":\"c1-1\",\"host\":\"/127.0.0.1\",\"clientId\":\"c1\"}"), json);
        assertTrue(json.contains("{\"topic\":\"t\",\"partition\":2,\"leaderEpoch\":null,\"currentOffset\":null,"
                + "\"logEndOffset\":10,\"lag\":null,"), json);
        assertTrue(json.endsWith("\"totalLag\":{\"t\":13}}]"), json);
        CliRunner.Result missing = groups("--describe", "--group", "x", "--output", "json");
        assertEquals(1, missing.exitCode());
        assertEquals(List.of("[{\"group\":\"x\",\"state\":\"Dead\",\"error\":\"Consumer group 'x' does not exist."
                + "\"}]"), missing.out());
    }

    @Test
    void resetOffsetsPlansEveryScenarioAndExecutesOnlyWithExecute() {
        admin.topic("t", 2, 3, 10);
        admin.group("idle", GroupState.EMPTY);
        admin.commit("idle", "t", 0, 5);
        admin.commit("idle", "t", 1, 9);
        CliRunner.Result dry = groups("--reset-offsets", "--group", "idle", "--all-topics", "--to-earliest");
        assertEquals(0, dry.exitCode(), dry.err().toString());
        assertEquals(List.of("",
                "GROUP           TOPIC           PARTITION  NEW-OFFSET",
                "idle            t               0          3",
                "idle            t               1          3"), dry.out());
        assertTrue(dry.err().get(0).startsWith("WARN: No action will be performed as the --execute option is "
                + "missing."), dry.err().toString());
        assertEquals(List.of(), admin.calls, "a dry run changes nothing");

        assertEquals("idle            t               0          10", groups("--reset-offsets", "--group", "idle",
                "--topic", "t", "--to-latest", "--dry-run").out().get(2));
        assertEquals(List.of("idle            t               1          7"), groups("--reset-offsets", "--group",
                "idle", "--topic", "t:1", "--shift-by", "-2", "--dry-run").out().subList(2, 3));
        CliRunner.Result clamped = groups("--reset-offsets", "--group", "idle", "--topic", "t:0", "--to-offset",
                "99", "--dry-run");
        assertEquals("idle            t               0          10", clamped.out().get(2));
        assertEquals(List.of("WARN: New offset (99) is higher than latest offset for topic partition t-0. Value "
                + "will be set to 10."), clamped.err());
        assertEquals("idle            t               0          7", groups("--reset-offsets", "--group", "idle",
                "--topic", "t:0", "--to-datetime", "1970-01-01T00:00:07.000Z", "--dry-run").out().get(2));
        assertEquals("idle            t               0          5", groups("--reset-offsets", "--group", "idle",
                "--topic", "t:0", "--to-current", "--dry-run").out().get(2));

        CliRunner.Result executed = groups("--reset-offsets", "--group", "idle", "--topic", "t", "--to-earliest",
                "--execute");
        assertEquals(0, executed.exitCode());
        assertEquals(List.of(), executed.err());
        assertEquals(List.of("alterOffsets idle {t-0=3, t-1=3}"), admin.calls);
    }

    @Test
    void resetOfAnActiveGroupIsRefused() {
        stableGroup();
        CliRunner.Result r = groups("--reset-offsets", "--group", "g", "--all-topics", "--to-earliest", "--execute");
        assertEquals(1, r.exitCode());
        assertTrue(r.out().contains("Error: Assignments can only be reset if the group 'g' is inactive, but the "
                + "current state is Stable."), r.out().toString());
        assertEquals(List.of("runnel: Assignments can only be reset if the group is inactive: g (Stable)"), r.err());
        assertEquals(List.of(), admin.calls);
    }

    @Test
    void deleteAndDeleteOffsets() {
        stableGroup();
        admin.group("idle", GroupState.EMPTY);
        assertEquals(List.of("Deletion of requested consumer groups ('idle') was successful."),
                groups("--delete", "--group", "idle").out());
        CliRunner.Result refused = groups("--delete", "--group", "g");
        assertEquals(1, refused.exitCode());
        assertEquals(List.of("", "Error: Deletion of some consumer groups failed:", "* Group 'g' could not be "
                + "deleted due to: org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty."),
                refused.out());
        assertEquals(List.of("runnel: could not delete consumer group 'g'"), refused.err());

        admin.topic("u", 1, 0, 1);
        admin.commit("g", "u", 0, 1);
        CliRunner.Result offsets = groups("--delete-offsets", "--group", "g", "--topic", "u");
        assertEquals(0, offsets.exitCode(), offsets.err().toString());
        assertEquals(List.of("Request succeeded for deleting offsets from group g.", "",
                "TOPIC           PARTITION  STATUS         ",
                "u               0          Successful     "), offsets.out());
        CliRunner.Result subscribed = groups("--delete-offsets", "--group", "g", "--topic", "t:0", "--topic", "zz");
        assertEquals(1, subscribed.exitCode());
        assertEquals(List.of("", "Error: Encountered some partition-level error, see the follow-up details.", "",
                "TOPIC           PARTITION  STATUS         ",
                "t               0          Error: The consumer group is actively subscribed to the topic",
                "zz              -          Error: This server does not host this topic-partition."),
                subscribed.out());
    }

    @Test
    void badFlagCombinationsAreUsageErrorsBeforeAnyConnection() {
        Map<List<String>, String> cases = Map.ofEntries(
                Map.entry(List.of("--list", "--describe"), "Command must include exactly one action: --list, "
                        + "--describe, --delete, --reset-offsets or --delete-offsets"),
                Map.entry(List.of("--describe"), "Option --describe takes one of these options: --all-groups, "
                        + "--group"),
                Map.entry(List.of("--describe", "--group", "g", "--members", "--state"), "Option --describe takes "
                        + "at most one of these options: --members, --offsets, --state"),
                Map.entry(List.of("--describe", "--group", "g", "--state", "stable"), "Option --describe does not "
                        + "take a value for --state"),
                Map.entry(List.of("--delete", "--group", "g", "--topic", "t"), "The consumer does not support "
                        + "topic-specific offset deletion from a consumer group."),
                Map.entry(List.of("--reset-offsets", "--group", "g", "--all-topics"), "Option --reset-offsets "
                        + "requires one of the following scenarios: --to-earliest, --to-latest, --to-current, "
                        + "--to-offset, --shift-by, --to-datetime, --by-duration"),
                Map.entry(List.of("--reset-offsets", "--group", "g", "--to-earliest"), "One of the reset scopes "
                        + "should be defined: --all-topics, --topic."),
                Map.entry(List.of("--reset-offsets", "--group", "g", "--all-topics", "--to-earliest",
                        "--to-latest"), "Option --to-earliest can't be used with option --to-latest"),
                Map.entry(List.of("--reset-offsets", "--group", "g", "--all-topics", "--to-earliest", "--execute",
                        "--dry-run"), "Option --reset-offsets only accepts one of --execute and --dry-run"),
                Map.entry(List.of("--reset-offsets", "--group", "g", "--topic", "t:x", "--to-earliest"),
                        "Invalid partition 'x' specified in topic arg 't:x'"),
                Map.entry(List.of("--reset-offsets", "--group", "g", "--all-topics", "--to-datetime", "yesterday"),
                        "Error parsing date 'yesterday' for --to-datetime: expected 'YYYY-MM-DDTHH:mm:SS.sss', "
                                + "optionally followed by a time zone such as Z or +01:00"),
                Map.entry(List.of("--delete-offsets", "--group", "g"), "Option --delete-offsets takes the "
                        + "following options: --group, --topic"),
                Map.entry(List.of("--describe", "--group", "g", "--output", "yaml"), "Invalid value 'yaml' for "
                        + "option '--output': expected text or json"),
                Map.entry(List.of("--delete", "--group", "g", "--output", "json"), "--output json can only be "
                        + "used with --list or --describe"),
                Map.entry(List.of("--list", "--group", "g"), "--group can only be used with --describe, --delete, "
                        + "--reset-offsets or --delete-offsets"),
                Map.entry(List.of("--describe", "--group", "g", "--all-groups"), "Option --group can't be used with "
                        + "option --all-groups"));
        cases.forEach((args, message) -> {
            CliRunner.Result r = groups(args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), args + " " + r.err());
            assertEquals(List.of("runnel: " + message, "Run 'runnel consumer-groups --help' for usage."), r.err(),
                    args.toString());
            assertEquals(false, admin.closed, "no connection for " + args);
        });
    }

    @Test
    void aBrokerTimeoutIsOneLine() {
        GroupAdmin failing = new FakeGroupAdmin() {
            @Override
            public java.util.List<org.apache.kafka.clients.admin.GroupListing> listGroups() {
                throw new TimeoutException("Timed out waiting for a node assignment. Call: listGroups");
            }
        };
        ConsumerGroupsCommand command = new ConsumerGroupsCommand((props, timeout) -> failing);
        CliRunner.Result r = CliRunner.run(CommandFactory.with(command), "consumer-groups", "--bootstrap-server",
                "127.0.0.1:1", "--list");
        assertEquals(1, r.exitCode());
        assertEquals(1, r.err().size(), r.err().toString());
        assertTrue(r.err().get(0).startsWith("runnel: cannot reach broker at 127.0.0.1:1"), r.err().get(0));
    }
}
