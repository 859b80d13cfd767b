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
 * Starts {@code bin/runnel} (or any other command: a child JVM, {@code kcat}) as an OS process with stdin read from
 * a file or {@code /dev/null}, output captured in files, and kills whatever it started on {@link #close()}. Waits
 * are bounded so a hung process fails the test instead of hanging the build.
 */
public final class LaunchedProcesses implements AutoCloseable {

    /** Upper bound for one launcher run, seconds; generous for a loaded 2-core CI machine. */
    public static final long TIMEOUT_SECONDS = 60;

    /** The outcome of one finished run. */
    public record Result(int exitCode, List<String> out, List<String> err) {}

    private final Path workDir;
    private final List<Process> started = new ArrayList<>();
    private int runs;

    /** @param workDir where the captured stdout/stderr files go */
    public LaunchedProcesses(Path workDir) {
        this.workDir = workDir;
    }

    /** The repository root: the parent of the cli module surefire runs in. */
    public static Path repoRoot() {
        Path cliDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        return cliDir.getParent();
    }

    /**
     * An environment for running the launcher against this test JVM's classpath without building:
     * {@code RUNNEL_SKIP_BUILD=1}, {@code RUNNEL_CLASSPATH=java.class.path}, {@code JAVA_HOME=java.home}.
     */
    public static Map<String, String> skipBuildEnv() {
        return Map.of(
                "RUNNEL_SKIP_BUILD", "1",
                "RUNNEL_CLASSPATH", System.getProperty("java.class.path"),
                "JAVA_HOME", System.getProperty("java.home"));
    }

    /** Starts {@code launcher args...} with {@code env} added to this JVM's environment, stdin from /dev/null. */
    public Process start(Path launcher, Map<String, String> env, String... args) throws IOException {
        return startCommand(command(launcher, args), env, null);
    }

    /**
     * Starts {@code command} in the work directory with {@code env} added to this JVM's environment (every
     * {@code RUNNEL_*} variable of this JVM removed first).
     *
     * @param stdin the file the process reads as standard input, or null for {@code /dev/null}
     * @return the process; its stdout and stderr go to {@code out-N.txt} and {@code err-N.txt} (see {@link #runs()})
     */
    public Process startCommand(List<String> command, Map<String, String> env, Path stdin) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(stdin == null ? new File("/dev/null") : stdin.toFile()))
                .redirectOutput(workDir.resolve("out-" + runs + ".txt").toFile())
                .redirectError(workDir.resolve("err-" + runs + ".txt").toFile());
        runs++;
        pb.environment().keySet().removeIf(k -> k.startsWith("RUNNEL_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** How many processes were started so far; the next one writes {@code out-<runs>.txt}. */
    public int runs() {
        return runs;
    }

    /** The stderr file of the {@code run}-th process started (0-based). */
    public Path errFile(int run) {
        return workDir.resolve("err-" + run + ".txt");
    }

    /** Runs the launcher to completion (bounded) and returns its exit code and output lines. */
    public Result run(Path launcher, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return runCommand(command(launcher, args), env, null);
    }

    /**
     * Runs {@code command} to completion (bounded by {@link #TIMEOUT_SECONDS}).
     *
     * @param stdin the file it reads as standard input, or null for {@code /dev/null}
     * @return its exit code and output lines
     */
    public Result runCommand(List<String> command, Map<String, String> env, Path stdin)
            throws IOException, InterruptedException {
        int run = runs;
        Process p = startCommand(command, env, stdin);
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        return new Result(p.exitValue(),
                Files.readAllLines(workDir.resolve("out-" + run + ".txt")),
                Files.readAllLines(errFile(run)));
    }

    private static List<String> command(Path launcher, String... args) {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(Arrays.asList(args));
        return command;
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
