package io.runnel.cli.reassign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.runnel.cli.CliRunner;
import io.runnel.cli.ErrorHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reassign-partitions}: flag and JSON checks before any connection, the JSON format, the progress line. */
class ReassignPartitionsCommandTest {
    private static final String B = "127.0.0.1:1";
    @TempDir
    Path dir;

    private static void assertUsage(String message, String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "reassign-partitions";
        full[1] = "--bootstrap-server";
        full[2] = B;
        System.arraycopy(args, 0, full, 3, args.length);
        CliRunner.Result r = CliRunner.run(full);
        assertEquals(ErrorHandlers.EXIT_USAGE, r.exitCode(), r.err()::toString);
        assertEquals(List.of("runnel: " + message, "Run 'runnel reassign-partitions --help' for usage."), r.err());
        assertEquals(List.of(), r.out());
    }

    @Test
    void wrongFlagsAreUsageErrors() throws Exception {
        Path plan = dir.resolve("plan.json");
        Files.writeString(plan, "{\"version\":1,\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"replicas\":[1,2]}]}");
        assertUsage("Command must include exactly one action: --generate, --execute, --verify, --cancel, --list,"
                + " --add-broker or --remove-broker");
        assertUsage("Command must include exactly one action: --generate, --execute, --verify, --cancel, --list,"
                + " --add-broker or --remove-broker (given: --execute, --list)", "--execute", "--list");
        assertUsage("Missing required argument \"[reassignment-json-file]\" for --verify", "--verify");
        assertUsage("--generate needs --topics-to-move-json-file and --broker-list", "--generate", "--broker-list",
                "1,2");
        assertUsage("--throttle goes only with --execute, --add-broker or --remove-broker", "--list", "--throttle",
                "100");
        assertUsage("--dry-run goes only with --add-broker or --remove-broker", "--list", "--dry-run");
        assertUsage("--replica-alter-log-dirs-throttle is not supported: Runnel does not move replicas between log"
                + " directories", "--execute", "--reassignment-json-file", plan.toString(),
                "--replica-alter-log-dirs-throttle", "10");
        assertUsage("--throttle must be -1 (none) or at least 0 bytes/s, not -5", "--execute",
                "--reassignment-json-file", plan.toString(), "--throttle", "-5");
        assertUsage("--broker-list must be broker ids separated by commas, e.g. 1,2,3, not '1,x'", "--generate",
                "--broker-list", "1,x", "--topics-to-move-json-file", plan.toString());
        Path missing = dir.resolve("missing.json");
        assertUsage("no such file: " + missing, "--execute", "--reassignment-json-file", missing.toString());
        Path dup = dir.resolve("dup.json");
        Files.writeString(dup, "{\"version\":1,\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"replicas\":[1,1]}]}");
        assertUsage("Partition t-0 has duplicate replicas [1, 1] in " + dup, "--execute", "--reassignment-json-file",
                dup.toString());
    }

    @Test
    void theJsonFilesAreKafkasFormat() {
        Map<TopicPartition, List<Integer>> parsed = ReassignmentJson.parseReassignment("{\"version\":1,\"partitions\":"
                + "[{\"topic\":\"b\",\"partition\":1,\"replicas\":[3,1],\"log_dirs\":[\"any\",\"any\"]},"
                + "{\"topic\":\"a\",\"partition\":0,\"replicas\":[2]}]}", "f");
        assertEquals(Map.of(new TopicPartition("b", 1), List.of(3, 1), new TopicPartition("a", 0), List.of(2)), parsed);
        assertEquals("{\"version\":1,\"partitions\":[{\"topic\":\"a\",\"partition\":0,\"replicas\":[2],\"log_dirs\":"
                + "[\"any\"]},{\"topic\":\"b\",\"partition\":1,\"replicas\":[3,1],\"log_dirs\":[\"any\",\"any\"]}]}",
                ReassignmentJson.render(parsed));
        assertEquals(parsed, ReassignmentJson.parseReassignment(ReassignmentJson.render(parsed), "f"));
        assertEquals("Partition t-0 has an empty replica list in f", assertThrows(IllegalArgumentException.class,
                () -> ReassignmentJson.parseReassignment("{\"partitions\":[{\"topic\":\"t\",\"partition\":0,"
                        + "\"replicas\":[]}]}", "f")).getMessage());
        assertEquals("Partition t-0: log dir \"/data\" is not supported (Runnel cannot move replicas between log"
                + " directories; use \"any\")", assertThrows(IllegalArgumentException.class,
                () -> ReassignmentJson.parseReassignment("{\"partitions\":[{\"topic\":\"t\",\"partition\":0,"
                        + "\"replicas\":[1],\"log_dirs\":[\"/data\"]}]}", "f")).getMessage());
    }

    @Test
    void theProgressLineShowsBytesRateAndEta() {
        assertEquals("[##########..........]  50%  50.0 MiB copied, 50.0 MiB left, 10.0 MiB/s, ETA 5 s,"
                + " 1/4 partitions done", new CopyProgress(100L << 20, 50L << 20, 10 << 20, 1, 4).line());
        assertEquals("[####################] 100%  1.0 KiB copied, 0 B left, 0 B/s, done, 2/2 partitions done",
                new CopyProgress(1024, 0, 0, 2, 2).line());
        assertEquals("[#####...............]  25%  1/4 partitions done", new CopyProgress(-1, 0, 0, 1, 4).line());
    }
}
