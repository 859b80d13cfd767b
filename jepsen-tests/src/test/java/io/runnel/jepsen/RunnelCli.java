package io.runnel.jepsen;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@code bin/runnel} client command (e.g. {@code metadata-quorum ... describe --status}) as a real OS process
 * to completion, bounded in time, with stdout and stderr captured in files under the work directory. Uses this test
 * JVM's classpath without building, as {@link NodeProcess} does.
 */
public final class RunnelCli {
    /** A finished run. */
    public record Result(int exitCode, List<String> out, List<String> err) {
    }

    private static final AtomicInteger RUNS = new AtomicInteger();

    private RunnelCli() {
    }

    /** Runs {@code bin/runnel args...}; kills it and fails when it runs longer than {@code limit}. */
    public static Result run(Path workDir, Duration limit, String... args) throws IOException, InterruptedException {
        int run = RUNS.incrementAndGet();
        Path out = workDir.resolve("cli-" + run + ".out");
        Path err = workDir.resolve("cli-" + run + ".err");
        List<String> cmd = new ArrayList<>();
        cmd.add(NodeProcess.repoRoot().resolve("bin/runnel").toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("RUNNEL_"));
        pb.environment().put("RUNNEL_SKIP_BUILD", "1");
        pb.environment().put("RUNNEL_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("RUNNEL_HEAP_OPTS", "-Xmx256m");
        Process p = pb.start();
        try {
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("bin/runnel " + String.join(" ", args) + " still ran after " + limit);
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        return new Result(p.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
    }
}
