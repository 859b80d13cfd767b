package io.runnel.cli.leaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.runnel.cli.CliRunner;
import io.runnel.cli.ErrorHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code leader-election} flag and JSON checks, in this JVM and before any connection. */
class LeaderElectionCommandTest {
    private static final String B = "127.0.0.1:1";
    @TempDir
    Path dir;

    private static void assertUsage(String message, String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(ErrorHandlers.EXIT_USAGE, r.exitCode(), r.err()::toString);
        assertEquals(List.of("runnel: " + message, "Run 'runnel leader-election --help' for usage."), r.err());
        assertEquals(List.of(), r.out());
    }

    @Test
    void wrongFlagsAreUsageErrors() throws Exception {
        String oneOf = "One and only one of the following options is required: --topic, --all-topic-partitions, "
                + "--path-to-json-file";
        assertUsage(oneOf, "leader-election", "--bootstrap-server", B, "--election-type", "preferred");
        assertUsage(oneOf, "leader-election", "--bootstrap-server", B, "--election-type", "preferred", "--topic", "t",
                "--partition", "0", "--all-topic-partitions");
        assertUsage("Missing required option(s): --partition", "leader-election", "--bootstrap-server", B,
                "--election-type", "PREFERRED", "--topic", "t");
        assertUsage("Option --partition is only allowed if --topic is used", "leader-election", "--bootstrap-server",
                B, "--election-type", "unclean", "--all-topic-partitions", "--partition", "1");
        assertUsage("--election-type must be PREFERRED or UNCLEAN, not 'clean'", "leader-election",
                "--bootstrap-server", B, "--election-type", "clean", "--all-topic-partitions");
        assertUsage("--partition must be at least 0, not -1", "leader-election", "--bootstrap-server", B,
                "--election-type", "preferred", "--topic", "t", "--partition", "-1");
        Path missing = dir.resolve("missing.json");
        assertUsage("no such file: " + missing, "leader-election", "--bootstrap-server", B, "--election-type",
                "preferred", "--path-to-json-file", missing.toString());
        Path dup = dir.resolve("dup.json");
        Files.writeString(dup, "{\"partitions\":[{\"topic\":\"t\",\"partition\":0},{\"topic\":\"t\",\"partition\":0}]}");
        assertUsage("Replica election data contains duplicate partitions: t-0", "leader-election",
                "--bootstrap-server", B, "--election-type", "preferred", "--path-to-json-file", dup.toString());
        CliRunner.Result noType = CliRunner.run("leader-election", "--bootstrap-server", B, "--all-topic-partitions");
        assertEquals(ErrorHandlers.EXIT_USAGE, noType.exitCode());
        assertEquals("runnel: Missing required option: '--election-type=TYPE'", noType.err().get(0));
    }

    @Test
    void theJsonFileIsKafkasFormat() {
        assertEquals(Set.of(new TopicPartition("foo", 1), new TopicPartition("foobar", 2)), ElectionJsonFile.parse(
                "{\"partitions\":\n\t[{\"topic\": \"foo\", \"partition\": 1},\n\t {\"topic\": \"foobar\", "
                        + "\"partition\": 2}]\n}", "f"));
        assertEquals("Replica election data is missing \"partitions\" field: f", assertThrows(
                IllegalArgumentException.class, () -> ElectionJsonFile.parse("{\"version\":1}", "f")).getMessage());
        assertEquals("The input string is not a valid JSON: f", assertThrows(IllegalArgumentException.class,
                () -> ElectionJsonFile.parse("{\"partitions\":[", "f")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ElectionJsonFile.parse(
                "{\"partitions\":[{\"topic\":\"t\",\"partition\":\"0\"}]}", "f"));
    }
}
