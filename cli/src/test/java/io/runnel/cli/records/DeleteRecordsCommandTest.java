package io.runnel.cli.records;

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

/** {@code delete-records} flag and JSON checks, in this JVM and before any connection. */
class DeleteRecordsCommandTest {
    @TempDir
    Path dir;

    private static void assertUsage(String message, String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(ErrorHandlers.EXIT_USAGE, r.exitCode(), r.err()::toString);
        assertEquals(List.of("runnel: " + message, "Run 'runnel delete-records --help' for usage."), r.err());
        assertEquals(List.of(), r.out());
    }

    @Test
    void wrongFlagsAreUsageErrors() throws Exception {
        String b = "127.0.0.1:1";
        assertUsage("give either --offset-json-file or --topic with --partition and --before-offset",
                "delete-records", "--bootstrap-server", b);
        assertUsage("--topic, --partition and --before-offset go together", "delete-records", "--bootstrap-server",
                b, "--partition", "0", "--before-offset", "3");
        assertUsage("--before-offset must be -1 (the high watermark) or at least 0, not -2", "delete-records",
                "--bootstrap-server", b, "--topic", "t", "--partition", "0", "--before-offset", "-2");
        assertUsage("--partition must be at least 0, not -1", "delete-records", "--bootstrap-server", b, "--topic",
                "t", "--partition", "-1", "--before-offset", "3");
        Path missing = dir.resolve("missing.json");
        assertUsage("no such file: " + missing, "delete-records", "--bootstrap-server", b, "--offset-json-file",
                missing.toString());
        Path dup = dir.resolve("dup.json");
        Files.writeString(dup, "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"offset\":1},"
                + "{\"topic\":\"t\",\"partition\":0,\"offset\":2}],\"version\":1}");
        assertUsage("Offset json file contains duplicate topic partitions: t-0", "delete-records",
                "--bootstrap-server", b, "--offset-json-file", dup.toString());
    }

    @Test
    void theJsonFileIsKafkasFormat() {
        assertEquals(Map.of(new TopicPartition("a", 0), 10L, new TopicPartition("b", 3), -1L), OffsetJsonFile.parse(
                "{\"partitions\":[{\"topic\":\"a\",\"partition\":0,\"offset\":10},"
                        + "{\"topic\":\"b\",\"partition\":3,\"offset\":-1}],\"version\":1}", "f"));
        assertEquals(Map.of(new TopicPartition("a", 0), 5L), OffsetJsonFile.parse(
                "{\"partitions\":[{\"topic\":\"a\",\"partition\":0,\"offset\":5}]}", "f"), "version may be left out");
        assertEquals("The input string is not a valid JSON: f", assertThrows(IllegalArgumentException.class,
                () -> OffsetJsonFile.parse("{\"partitions\":[", "f")).getMessage());
        assertEquals("Missing partitions field in f", assertThrows(IllegalArgumentException.class,
                () -> OffsetJsonFile.parse("{\"version\":1}", "f")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> OffsetJsonFile.parse(
                "{\"partitions\":[{\"topic\":\"a\",\"partition\":0,\"offset\":5}],\"version\":2}", "f"));
        assertThrows(IllegalArgumentException.class, () -> OffsetJsonFile.parse(
                "{\"partitions\":[{\"topic\":\"a\",\"partition\":0}]}", "f"));
        assertThrows(IllegalArgumentException.class, () -> OffsetJsonFile.parse(
                "{\"partitions\":[{\"topic\":\"a\",\"partition\":\"0\",\"offset\":1}]}", "f"));
    }
}
