package io.runnel.jepsen;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Runnel server as a real OS process started through {@code bin/runnel server-start}, with the fault actions a
 * Jepsen-style test needs: SIGKILL, SIGSTOP/SIGCONT, SIGTERM. Its stderr (the server log) goes to a file per start.
 * The launcher runs this test JVM's classpath without building ({@code RUNNEL_SKIP_BUILD=1}).
 */
public final class NodeProcess {
    private final int nodeId;
    private final Path config;
    private final Path workDir;
    private final List<String> overrides;
    private Process process;
    private int starts;

    NodeProcess(int nodeId, Path config, Path workDir, List<String> overrides) {
        this.nodeId = nodeId;
        this.config = config;
        this.workDir = workDir;
        this.overrides = List.copyOf(overrides);
    }

    public int nodeId() {
        return nodeId;
    }

    /** The repository root: the parent of the module surefire runs in. */
    static Path repoRoot() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
    }

    /** Starts the server (again); the previous run, if any, must have ended. */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("node " + nodeId + " is already running");
        }
        List<String> cmd = new ArrayList<>(List.of(repoRoot().resolve("bin/runnel").toString(), "server-start",
                config.toString()));
        for (String o : overrides) {
            cmd.add("--override");
            cmd.add(o);
        }
        starts++;
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(logFile().resolveSibling("node-" + nodeId + "-" + starts + ".out").toFile())
                .redirectError(logFile().toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("RUNNEL_"));
        pb.environment().put("RUNNEL_SKIP_BUILD", "1");
        pb.environment().put("RUNNEL_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("RUNNEL_HEAP_OPTS", "-Xmx512m");
        process = pb.start();
    }

    /** The server log of the current (or last) start. */
    public Path logFile() {
        return workDir.resolve("node-" + nodeId + "-" + starts + ".log");
    }

    /** The log lines of the current start. */
    public List<String> log() {
        try {
            return Files.exists(logFile()) ? Files.readAllLines(logFile()) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Waits until the current start has logged a line containing {@code text}; fails if the process dies first. */
    public void awaitLog(String text, Duration limit) {
        Waits.await("node " + nodeId + " to log '" + text + "'", limit, () -> {
            if (log().stream().anyMatch(l -> l.contains(text))) {
                return true;
            }
            if (!isAlive()) {
                throw new AssertionError("node " + nodeId + " exited with " + process.exitValue() + ": " + log());
            }
            return false;
        });
    }

    /**
     * Waits for the current start to exit by itself (e.g. a refused start).
     *
     * @return its exit code
     * @throws AssertionError when it still runs after {@code limit}
     */
    public int awaitExit(Duration limit) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("node " + nodeId + " still runs after " + limit + ": " + log());
        }
        return p.exitValue();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed (a crash). Waits for the process to go. */
    public synchronized void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("node " + nodeId + " survived SIGKILL");
        }
    }

    /** SIGTERM: a clean shutdown. Waits (bounded) for the process to exit. */
    public synchronized void terminate(Duration limit) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("node " + nodeId + " did not exit within " + limit + " of SIGTERM");
        }
    }

    /** SIGSTOP: the process freezes, sockets stay open (a long GC pause or a hung machine). */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " " + pid() + " failed");
        }
    }

    /** Kills the process if it still runs (teardown); resumes it first in case it was stopped. */
    synchronized void destroy() throws InterruptedException {
        if (process != null && process.isAlive()) {
            try {
                resume();
            } catch (IOException | AssertionError ignored) {
                // it may have just exited
            }
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
