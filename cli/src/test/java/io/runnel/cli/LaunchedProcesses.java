package io.runnel.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@code bin/runnel} as an OS process with output captured in files, and kills whatever it started on
 * {@link #close()}. Waits are bounded so a hung launcher fails the test instead of hanging the build.
 */
final class LaunchedProcesses implements AutoCloseable {

    /** Upper bound for one launcher run, seconds; generous for a loaded 2-core CI machine. */
    static final long TIMEOUT_SECONDS = 60;

    /** The outcome of one finished run. */
    record Result(int exitCode, List<String> out, List<String> err) {}

    private final Path workDir;
    private final List<Process> started = new ArrayList<>();
    private int runs;

    /** @param workDir where the captured stdout/stderr files go */
    LaunchedProcesses(Path workDir) {
        this.workDir = workDir;
    }

    /** The repository root: the parent of the cli module surefire runs in. */
    static Path repoRoot() {
        Path cliDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        return cliDir.getParent();
    }

    /**
     * An environment for running the launcher against this test JVM's classpath without building:
     * {@code RUNNEL_SKIP_BUILD=1}, {@code RUNNEL_CLASSPATH=java.class.path}, {@code JAVA_HOME=java.home}.
     */
    static Map<String, String> skipBuildEnv() {
        return Map.of(
                "RUNNEL_SKIP_BUILD", "1",
                "RUNNEL_CLASSPATH", System.getProperty("java.class.path"),
                "JAVA_HOME", System.getProperty("java.home"));
    }

    /** Starts {@code launcher args...} with {@code env} added to this JVM's environment. */
    Process start(Path launcher, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(workDir.resolve("out-" + runs + ".txt").toFile())
                .redirectError(workDir.resolve("err-" + runs + ".txt").toFile());
        runs++;
        pb.environment().keySet().removeIf(k -> k.startsWith("RUNNEL_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** Runs the launcher to completion (bounded) and returns its exit code and output lines. */
    Result run(Path launcher, Map<String, String> env, String... args) throws IOException, InterruptedException {
        int run = runs;
        Process p = start(launcher, env, args);
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("bin/runnel " + String.join(" ", args) + " did not finish in "
                    + TIMEOUT_SECONDS + " s");
        }
        return new Result(p.exitValue(),
                Files.readAllLines(workDir.resolve("out-" + run + ".txt")),
                Files.readAllLines(workDir.resolve("err-" + run + ".txt")));
    }

    /** Kills every process started here, and their descendants, and waits (bounded) for them to go. */
    @Override
    public void close() throws InterruptedException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        started.clear();
    }
}
