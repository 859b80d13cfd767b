package io.runnel.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into short messages on stderr instead of picocli's usage dump or a Java stack trace.
 *
 * <ul>
 *   <li>A bad flag or parameter: {@code runnel: <what is wrong>} plus {@code Run 'runnel <cmd> --help' for usage.},
 *       exit code {@value #EXIT_USAGE}.</li>
 *   <li>Any other exception: {@code runnel: <message>}, exit code {@value #EXIT_FAILURE}; the stack trace follows
 *       only when {@code --verbose} was given (at any command level).</li>
 * </ul>
 */
public final class ErrorHandlers implements IParameterExceptionHandler, IExecutionExceptionHandler {

    /** Exit code for a command that ran and failed. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for a command line that could not be parsed (bad flag, missing or malformed parameter). */
    public static final int EXIT_USAGE = 2;
    /** The option that turns on stack traces; declared on {@link RunnelCommand} and inherited by subcommands. */
    static final String VERBOSE = "--verbose";

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("runnel: " + stripErrorPrefix(oneLine(ex.getMessage(), ex)));
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        if (verbose(cmd.getParseResult())) {
            ex.printStackTrace(err);
        }
        err.flush();
        return EXIT_USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult fullParseResult) {
        PrintWriter err = cmd.getErr();
        err.println("runnel: " + oneLine(ex.getMessage(), ex));
        if (verbose(fullParseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILURE;
    }

    /**
     * Whether {@code --verbose} was given anywhere on the command line being run; subcommands use this to decide how
     * much the libraries they drive (kafka-clients) may log.
     *
     * @param spec the spec of the running (sub)command
     * @return true when {@code --verbose} was matched at any command level
     */
    public static boolean isVerbose(CommandSpec spec) {
        return verbose(spec.root().commandLine().getParseResult());
    }

    /** True when {@code --verbose} was matched on the given command or any subcommand below it. */
    private static boolean verbose(ParseResult result) {
        for (ParseResult r = result; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    /** Drops the {@code Error: } picocli puts before some messages: the line already starts with {@code runnel:}. */
    private static String stripErrorPrefix(String message) {
        return message.startsWith("Error: ") ? message.substring("Error: ".length()) : message;
    }

    /** The message collapsed to its first line, or the exception's class when it carries no message. */
    private static String oneLine(String message, Exception ex) {
        if (message == null || message.isBlank()) {
            return ex.getClass().getSimpleName();
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
