package io.runnel.cli.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.runnel.cli.CliRunner;
import io.runnel.cli.CommandFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;

/**
 * {@code runnel topics --replica-assignment} (kafka-topics.sh's flag) against an in-memory {@link FakeTopicAdmin}:
 * what create and alter send, and the flag rules (exit 2, nothing sent).
 */
class ReplicaAssignmentCommandTest {

    private final FakeTopicAdmin admin = new FakeTopicAdmin();

    private CliRunner.Result topics(String... args) {
        TopicsCommand command = new TopicsCommand(props -> {
            admin.openedWith = props;
            return admin;
        });
        List<String> full = new ArrayList<>(List.of("topics", "--bootstrap-server", "localhost:9092"));
        full.addAll(Arrays.asList(args));
        return CliRunner.run(CommandFactory.with(command), full.toArray(String[]::new));
    }

    @Test
    void createSendsTheAssignmentInsteadOfCounts() {
        CliRunner.Result r = topics("--create", "--topic", "placed", "--replica-assignment", "1:2, 2 :3,3:1",
                "--config", "retention.ms=5");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of("Created topic placed."), r.out());
        assertEquals(List.of("createTopic placed -1 -1 {retention.ms=5} {0=[1, 2], 1=[2, 3], 2=[3, 1]}"),
                admin.calls);
    }

    @Test
    void alterSkipsTheExistingPartitionsEntriesAsKafkasToolDoes() {
        admin.add("t", 2, 2, 2, Map.of());
        CliRunner.Result r = topics("--alter", "--topic", "t", "--partitions", "4", "--replica-assignment",
                "1:2,1:2,2:3,3:1");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of(), r.out());
        assertEquals("createPartitions {t=4} {t=[[2, 3], [3, 1]]}", admin.calls.get(admin.calls.size() - 1));
        assertEquals(List.of(3, 1), admin.topics.get("t").partitions().get(3).replicas().stream().map(Node::id)
                .toList());
    }

    @Test
    void badFlagsAreUsageErrors() {
        Map<List<String>, String> cases = Map.of(
                List.of("--create", "--topic", "t", "--replica-assignment", "1:2", "--partitions", "1"),
                "--replica-assignment cannot be used with --partitions",
                List.of("--create", "--topic", "t", "--replica-assignment", "1:2", "--replication-factor", "2"),
                "--replica-assignment cannot be used with --replication-factor",
                List.of("--alter", "--topic", "t", "--replica-assignment", "1:2"),
                "--replica-assignment with --alter needs --partitions",
                List.of("--alter", "--topic", "t", "--replica-assignment", "1,2", "--partitions", "3"),
                "--replica-assignment lists 2 partition(s) but --partitions is 3: list the replicas of every "
                        + "partition, existing ones first, as kafka-topics.sh does",
                List.of("--describe", "--replica-assignment", "1"),
                "--replica-assignment can only be used with --create or --alter",
                List.of("--create", "--topic", "t", "--replica-assignment", "1:2:1"),
                "Partition replica lists may not contain duplicate entries: 1",
                List.of("--create", "--topic", "t", "--replica-assignment", "1:2,3"),
                "Partition 1 has different replication factor: [3]",
                List.of("--create", "--topic", "t", "--replica-assignment", "1:x"),
                "Invalid --replica-assignment '1:x': partition 0 has 'x', which is not a broker id",
                List.of("--create", "--topic", "t", "--replica-assignment", "1,,2"),
                "Invalid --replica-assignment '1,,2': partition 1 has '', which is not a broker id",
                List.of("--create", "--topic", "t", "--replica-assignment", ""),
                "--replica-assignment is empty: give broker ids such as 1:2,2:3");
        cases.forEach((args, message) -> {
            CliRunner.Result r = topics(args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), args + " -> " + r.err());
            assertEquals(List.of("runnel: " + message, "Run 'runnel topics --help' for usage."), r.err(),
                    args.toString());
            assertNull(admin.openedWith, args + " must not connect");
        });
    }
}
