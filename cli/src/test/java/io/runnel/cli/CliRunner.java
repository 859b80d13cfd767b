package io.runnel.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

/** Runs {@link RunnelCommand} in-process with captured stdout and stderr. */
final class CliRunner {

    /** The outcome of one run: exit code and the lines printed to each stream. */
    record Result(int exitCode, List<String> out, List<String> err) {}

    private CliRunner() {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RunnelCommand.newCommandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result(code, lines(out.toString()), lines(err.toString()));
    }

    private static List<String> lines(String s) {
        return s.isEmpty() ? List.of() : Arrays.asList(s.split("\\R"));
    }
}
