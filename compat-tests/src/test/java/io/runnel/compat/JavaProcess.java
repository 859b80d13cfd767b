package io.runnel.compat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class of this module's test classpath (Apache Kafka 4.4 tools, the Streams application) run in a JVM of its
 * own: {@code java -cp <the test JVM's classpath> <main> <args>}, stdout and stderr to files. A child JVM because
 * Kafka's tools end with {@code Exit.exit} and a Streams application must be killable with SIGKILL. {@link #close()}
 * kills it by its pid.
 */
public final class JavaProcess implements AutoCloseable {

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final String description;

    private JavaProcess(Process process, Path stdout, Path stderr, String description) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.description = description;
    }

    /**
     * Starts {@code mainClass} with {@code args}; its output goes to {@code dir/<name>.out} and {@code dir/<name>.err}
     * (slf4j-simple's log to the latter as well).
     */
    public static JavaProcess start(Path dir, String name, String mainClass, List<String> args) throws IOException {
        Files.createDirectories(dir);
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-Dorg.slf4j.simpleLogger.logFile=System.err",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        return new JavaProcess(p, out, err, name + " (" + mainClass + " " + String.join(" ", args) + ")");
    }

    /**
     * Runs {@code mainClass} to its end, bounded by {@code limit}.
     *
     * @return the finished process (its exit code and output)
     * @throws AssertionError when it has not exited within {@code limit} (it is killed then)
     */
    public static JavaProcess run(Path dir, String name, Duration limit, String mainClass, String... args)
            throws IOException, InterruptedException {
        JavaProcess p = start(dir, name, mainClass, List.of(args));
        if (!p.process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.close();
            throw new AssertionError(p.description + " did not exit within " + limit + "; stdout: " + p.stdout()
                    + "\nstderr: " + p.stderrTail());
        }
        return p;
    }

    /** The exit code; the process must have exited. */
    public int exitCode() {
        return process.exitValue();
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /** Everything the process wrote to stdout so far. */
    public String stdout() throws IOException {
        return Files.readString(stdout);
    }

    /** The last 60 lines the process wrote to stderr (its log), for failure messages. */
    public String stderrTail() throws IOException {
        List<String> lines = Files.readAllLines(stderr);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** The exit code, and stdout and the stderr tail, for assertion messages. */
    public String describe() throws IOException {
        return description + (process.isAlive() ? " running" : " exited with " + process.exitValue())
                + "\nstdout:\n" + stdout() + "\nstderr (tail):\n" + stderrTail();
    }

    /** SIGKILL (no shutdown hooks run); waits, bounded, until the process is gone. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError(description + " (pid " + process.pid() + ") survived SIGKILL");
        }
    }

    /** SIGKILL if still running. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill9();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
