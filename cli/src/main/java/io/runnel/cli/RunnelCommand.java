package io.runnel.cli;

import io.runnel.cli.console.ConsoleConsumerCommand;
import io.runnel.cli.console.ConsoleProducerCommand;
import io.runnel.cli.groups.ConsumerGroupsCommand;
import io.runnel.cli.perf.ConsumerPerfTestCommand;
import io.runnel.cli.perf.ProducerPerfTestCommand;
import io.runnel.cli.topics.TopicsCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code runnel} command, started by {@code bin/runnel}. It only dispatches to subcommands (one class
 * per subcommand) and owns the options every subcommand inherits.
 *
 * <p>Exit codes: 0 success, {@value ErrorHandlers#EXIT_FAILURE} the command failed,
 * {@value ErrorHandlers#EXIT_USAGE} the command line was wrong.
 */
@Command(
        name = "runnel",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Runnel: a Kafka-compatible event streaming platform.",
        footer = {"", "Fault-injection runs: bin/runnel jepsen run|check|cleanup (bin/runnel jepsen run --help)."},
        subcommands = {
            ServerStartCommand.class,
            TopicsCommand.class,
            io.runnel.cli.quorum.MetadataQuorumCommand.class,
            ConsumerGroupsCommand.class,
            io.runnel.cli.records.DeleteRecordsCommand.class,
            io.runnel.cli.reassign.ReassignPartitionsCommand.class,
            io.runnel.cli.cluster.ClusterCommand.class,
            io.runnel.cli.leaders.LeaderElectionCommand.class,
            io.runnel.cli.logdirs.LogDirsCommand.class,
            io.runnel.cli.transactions.TransactionsCommand.class,
            ConsoleProducerCommand.class,
            ConsoleConsumerCommand.class,
            ProducerPerfTestCommand.class,
            ConsumerPerfTestCommand.class,
            DumpLogCommand.class,
            CommandLine.HelpCommand.class
        })
public final class RunnelCommand implements Callable<Integer> {

    /** Prints stack traces for errors; inherited by every subcommand, so it may follow the subcommand name. */
    @Option(
            names = ErrorHandlers.VERBOSE,
            scope = ScopeType.INHERIT,
            description = "Print the full stack trace when a command fails.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** Runs when no subcommand is given: that is a usage error. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command (one of: "
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    /**
     * Builds the command line with Runnel's error handling installed; tests use this with their own out/err writers.
     *
     * @return a fresh, fully configured {@link CommandLine} for {@code runnel}
     */
    public static CommandLine newCommandLine() {
        return newCommandLine(CommandLine.defaultFactory());
    }

    /**
     * Builds the command line with subcommands created by {@code factory}; tests use this to hand commands fake
     * Kafka clients.
     *
     * @param factory creates the command objects (see picocli's {@link CommandLine.IFactory})
     * @return a fresh, fully configured {@link CommandLine} for {@code runnel}
     */
    public static CommandLine newCommandLine(CommandLine.IFactory factory) {
        ErrorHandlers handlers = new ErrorHandlers();
        return new CommandLine(new RunnelCommand(), factory)
                .setParameterExceptionHandler(handlers)
                .setExecutionExceptionHandler(handlers);
    }

    /**
     * Entry point used by {@code bin/runnel}.
     *
     * @param args the command line, e.g. {@code dump-log --files 00000000000000000000.log}
     */
    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }
}
