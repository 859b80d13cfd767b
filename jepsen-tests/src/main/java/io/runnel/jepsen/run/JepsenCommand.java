package io.runnel.jepsen.run;

import io.runnel.cli.ErrorHandlers;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runnel jepsen}: fault-injection runs against a local cluster the command starts itself. {@code bin/runnel
 * jepsen ...} starts this class with the jepsen-tests classpath. Exit codes: 0 every run's history was valid, 1 the
 * checker found an anomaly (or the run failed), 2 the command line was wrong.
 */
@Command(name = "runnel jepsen", mixinStandardHelpOptions = true,
        description = "Fault-injection runs: a local cluster of real Runnel processes, real faults, a checked history.",
        subcommands = {JepsenRunCommand.class, JepsenCheckCommand.class, JepsenCleanupCommand.class,
            CommandLine.HelpCommand.class})
public final class JepsenCommand implements Callable<Integer> {
    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the full stack trace when a command fails.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command (one of: run, check, cleanup)");
    }

    /** The command line with Runnel's error handling (one line, exit 2 for bad flags). */
    public static CommandLine newCommandLine() {
        ErrorHandlers handlers = new ErrorHandlers();
        return new CommandLine(new JepsenCommand()).setParameterExceptionHandler(handlers)
                .setExecutionExceptionHandler(handlers);
    }

    /** Entry point of {@code bin/runnel jepsen}: the arguments after {@code jepsen}. */
    public static void main(String[] args) {
        if (!java.util.List.of(args).contains("--verbose")) {
            // the clients' own retries and disconnects are in the history; their log lines would drown the progress
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "off");
        }
        System.setProperty("java.awt.headless", "true");
        CommandLine line = newCommandLine();
        int exitCode = line.execute(args);
        line.getOut().flush(); // picocli's writer flushes on println only; a summary ends with print
        line.getErr().flush();
        System.exit(exitCode);
    }
}
