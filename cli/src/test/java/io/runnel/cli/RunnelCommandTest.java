package io.runnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** In-process tests of the top-level command's options, exit codes and error messages. */
class RunnelCommandTest {

    private static final String VERSION_LINE = "runnel \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?";

    @Test
    void versionPrintsOneLineWithTheFilteredProjectVersion() {
        CliRunner.Result r = CliRunner.run("--version");
        assertEquals(0, r.exitCode());
        assertEquals(1, r.out().size(), r.out().toString());
        assertTrue(r.out().get(0).matches(VERSION_LINE), r.out().get(0));
        assertEquals("runnel " + VersionProvider.version(), r.out().get(0));
        assertEquals(List.of(), r.err());
    }

    @Test
    void unknownFlagIsOneLinePlusHintAndExitTwo() {
        CliRunner.Result r = CliRunner.run("--no-such-flag");
        assertEquals(ErrorHandlers.EXIT_USAGE, r.exitCode());
        assertEquals(List.of("runnel: Unknown option: '--no-such-flag'", "Run 'runnel --help' for usage."), r.err());
        assertEquals(List.of(), r.out());
    }

    @Test
    void badFlagOnASubcommandNamesTheSubcommandInTheHint() {
        CliRunner.Result r = CliRunner.run("dump-log", "--files", "x.log", "--bogus");
        assertEquals(ErrorHandlers.EXIT_USAGE, r.exitCode());
        assertEquals(List.of("runnel: Unknown option: '--bogus'", "Run 'runnel dump-log --help' for usage."), r.err());
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        CliRunner.Result r = CliRunner.run("dump-log");
        assertEquals(ErrorHandlers.EXIT_USAGE, r.exitCode());
        assertEquals(2, r.err().size(), r.err().toString());
        assertTrue(r.err().get(0).startsWith("runnel: Missing required option: '--files"), r.err().get(0));
    }

    @Test
    void noCommandIsAUsageError() {
        CliRunner.Result r = CliRunner.run();
        assertEquals(ErrorHandlers.EXIT_USAGE, r.exitCode());
        assertEquals(List.of("runnel: missing command (one of: server-start, topics, metadata-quorum, "
                + "consumer-groups, delete-records, reassign-partitions, cluster, leader-election, log-dirs, transactions, console-producer, console-consumer, "
                + "producer-perf-test, consumer-perf-test, dump-log, help)",
                "Run 'runnel --help' for usage."), r.err());
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        CliRunner.Result r = CliRunner.run("no-such-command");
        assertEquals(ErrorHandlers.EXIT_USAGE, r.exitCode());
        assertEquals(2, r.err().size(), r.err().toString());
        assertTrue(r.err().get(0).startsWith("runnel: "), r.err().get(0));
    }

    @Test
    void failureIsOneLineAndExitOneWithoutVerbose() {
        CliRunner.Result r = CliRunner.run("dump-log", "--files", "/no/such/dir/00000000000000000000.log");
        assertEquals(ErrorHandlers.EXIT_FAILURE, r.exitCode());
        assertEquals(List.of("runnel: no such file: /no/such/dir/00000000000000000000.log"), r.err());
        assertEquals(List.of(), r.out());
    }

    @Test
    void verboseAddsTheStackTraceWhetherGivenBeforeOrAfterTheSubcommand() {
        for (String[] args : List.of(
                new String[] {"--verbose", "dump-log", "--files", "/no/such.log"},
                new String[] {"dump-log", "--files", "/no/such.log", "--verbose"})) {
            CliRunner.Result r = CliRunner.run(args);
            assertEquals(ErrorHandlers.EXIT_FAILURE, r.exitCode());
            assertEquals("runnel: no such file: /no/such.log", r.err().get(0));
            assertTrue(r.err().size() > 2, r.err().toString());
            assertTrue(r.err().get(1).startsWith(CliException.class.getName()), r.err().get(1));
            assertTrue(r.err().stream().anyMatch(l -> l.contains("at io.runnel.cli.DumpLogCommand")), r.err().toString());
        }
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        CliRunner.Result r = CliRunner.run("--help");
        assertEquals(0, r.exitCode());
        for (String command : List.of("dump-log", "topics", "metadata-quorum", "console-producer",
                "console-consumer", "producer-perf-test", "consumer-perf-test")) {
            assertTrue(r.out().stream().anyMatch(l -> l.trim().startsWith(command)), command + " in " + r.out());
        }
        assertTrue(r.out().stream().anyMatch(l -> l.contains("--verbose")), r.out().toString());
    }
}
