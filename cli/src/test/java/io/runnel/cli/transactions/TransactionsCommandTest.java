package io.runnel.cli.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.cli.CliRunner;
import io.runnel.cli.ErrorHandlers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code transactions} flag checks: each is exit 2 with one line saying what is wrong, before any connection. */
class TransactionsCommandTest {
    private static final String B = "127.0.0.1:1";

    private static void assertUsage(String message, String subcommand, String... args) {
        List<String> line = new ArrayList<>(List.of("transactions", "--bootstrap-server", B, subcommand));
        line.addAll(List.of(args));
        CliRunner.Result r = CliRunner.run(line.toArray(String[]::new));
        assertEquals(ErrorHandlers.EXIT_USAGE, r.exitCode(), r.err()::toString);
        assertEquals(List.of("runnel: " + message, "Run 'runnel transactions " + subcommand + " --help' for usage."),
                r.err());
        assertEquals(List.of(), r.out());
    }

    @Test
    void abortNeedsOneWayToNameTheTransaction() {
        assertUsage("The transaction to abort must be identified either with --start-offset (for brokers on 3.0 or "
                + "above) or with --producer-id, --producer-epoch, and --coordinator-epoch (for older brokers)",
                "abort", "--topic", "t", "--partition", "0");
        assertUsage("The transaction to abort must be identified either with --start-offset (for brokers on 3.0 or "
                + "above) or with --producer-id, --producer-epoch, and --coordinator-epoch (for older brokers)",
                "abort", "--topic", "t", "--partition", "0", "--producer-epoch", "1", "--coordinator-epoch", "0");
        assertUsage("--start-offset identifies the transaction by itself: give either it or --producer-id, "
                + "--producer-epoch and --coordinator-epoch, not both", "abort", "--topic", "t", "--partition", "0",
                "--start-offset", "5", "--producer-id", "3");
        assertUsage("Missing required argument --producer-epoch", "abort", "--topic", "t", "--partition", "0",
                "--producer-id", "3", "--coordinator-epoch", "0");
        assertUsage("Missing required argument --coordinator-epoch", "abort", "--topic", "t", "--partition", "0",
                "--producer-id", "3", "--producer-epoch", "0");
        assertUsage("--start-offset must be at least 0, not -1", "abort", "--topic", "t", "--partition", "0",
                "--start-offset", "-1");
        assertUsage("--partition must be at least 0, not -2", "abort", "--topic", "t", "--partition", "-2",
                "--start-offset", "1");
        assertUsage("Missing required option: '--topic=TOPIC'", "abort", "--partition", "0", "--start-offset", "1");
    }

    @Test
    void findHangingNeedsAScope() {
        assertUsage("The `find-hanging` command requires either --topic or --broker-id to limit the scope of the "
                + "search", "find-hanging");
        assertUsage("The --partition argument requires --topic to be provided", "find-hanging", "--broker-id", "1",
                "--partition", "0");
        assertUsage("--max-transaction-timeout must be at least 0 minutes, not -1", "find-hanging", "--topic", "t",
                "--max-transaction-timeout", "-1");
        assertUsage("--broker-id must be a broker id (at least 0), not -1", "find-hanging", "--broker-id", "-1");
    }

    @Test
    void otherSubcommandsCheckTheirFlags() {
        assertUsage("Missing required option: '--transactional-id=ID'", "describe");
        assertUsage("--transactional-id must not be empty", "describe", "--transactional-id", "");
        assertUsage("Missing required options: '--topic=TOPIC', '--partition=N'", "describe-producers");
        assertUsage("--broker-id must be a broker id (at least 0), not -3", "describe-producers", "--topic", "t",
                "--partition", "0", "--broker-id", "-3");
        assertUsage("--transactional-id-pattern is not a regular expression: Unclosed group near index 4", "list",
                "--transactional-id-pattern", "(abc");
        assertUsage("Invalid value for option '--duration-filter': 'soon' is not a long", "list",
                "--duration-filter", "soon");
        assertUsage("Missing required option: '--transactionalId=ID'", "forceTerminateTransaction");
    }

    @Test
    void theConnectionFlagsComeFirstAndASubcommandIsRequired() {
        CliRunner.Result none = CliRunner.run("transactions", "--bootstrap-server", B);
        assertEquals(ErrorHandlers.EXIT_USAGE, none.exitCode());
        assertEquals("runnel: missing command (one of: list, describe, describe-producers, abort, find-hanging, "
                + "forceTerminateTransaction)", none.err().get(0));
        CliRunner.Result noServer = CliRunner.run("transactions", "list");
        assertEquals(ErrorHandlers.EXIT_USAGE, noServer.exitCode());
        assertEquals("runnel: Missing required option: '--bootstrap-server=HOST:PORT'", noServer.err().get(0));
    }

    @Test
    void anUnreachableBrokerIsOneLineExitOne() {
        CliRunner.Result r = CliRunner.run("transactions", "--bootstrap-server", B, "list");
        assertEquals(ErrorHandlers.EXIT_FAILURE, r.exitCode());
        assertEquals(1, r.err().size(), r.err()::toString);
        assertTrue(r.err().get(0).startsWith("runnel: cannot reach broker at 127.0.0.1:1"), r.err()::toString);
    }
}
