package io.runnel.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** Runs {@link RunnelCommand} in-process with captured stdout and stderr. */
public final class CliRunner {

    /** The outcome of one run: exit code and the lines printed to each stream. */
    public record Result(int exitCode, List<String> out, List<String> err) {}

    private CliRunner() {}

    /** Runs with the commands as {@code bin/runnel} builds them. */
    public static Result run(String... args) {
        return run(CommandLine.defaultFactory(), args);
    }

    /**
     * Runs with the subcommands supplied by {@code factory} (e.g. ones built on fake Kafka clients).
     *
     * @param factory see {@link CommandFactory}
     * @param args the command line
     * @return the exit code and captured output
     */
    public static Result run(CommandLine.IFactory factory, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RunnelCommand.newCommandLine(factory)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result(code, lines(out.toString()), lines(err.toString()));
    }

    /** Splits captured output into lines (no trailing empty line). */
    public static List<String> lines(String s) {
        return s.isEmpty() ? List.of() : Arrays.asList(s.split("\\R"));
    }
}
