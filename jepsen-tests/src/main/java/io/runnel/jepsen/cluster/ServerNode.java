package io.runnel.jepsen.cluster;

import io.runnel.jepsen.host.Hosts;
import io.runnel.jepsen.host.Shell;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Runnel node of a run: a real {@code bin/runnel server-start} process on its host (namespace), with the
 * process faults a nemesis needs. Each start logs (stdout and stderr) to {@code n<id>-<start>.log} in its directory.
 * State moves RUNNING -> PAUSED (SIGSTOP) -> RUNNING (SIGCONT), and RUNNING or PAUSED -> DEAD (SIGKILL) -> RUNNING
 * (restart). Thread-safe.
 */
public final class ServerNode {
    /** What the node's process is doing. */
    public enum State { RUNNING, PAUSED, DEAD }

    private final int id;
    private final Hosts hosts;
    private final Path dir;
    private final Path config;
    private final List<String> launcher;
    private final Map<String, String> env;
    private Process process;
    private State state = State.DEAD;
    private int starts;

    /**
     * @param launcher the command before the config file, e.g. {@code [.../bin/runnel, server-start]}
     * @param env      environment added to the process (launcher settings, libfaketime)
     */
    ServerNode(int id, Hosts hosts, Path dir, Path config, List<String> launcher, Map<String, String> env) {
        this.id = id;
        this.hosts = hosts;
        this.dir = dir;
        this.config = config;
        this.launcher = List.copyOf(launcher);
        this.env = Map.copyOf(env);
    }

    public int id() {
        return id;
    }

    public synchronized State state() {
        return state;
    }

    /** The log of the current (or last) start. */
    public synchronized Path logFile() {
        return dir.resolve("n" + id + "-" + starts + ".log");
    }

    /** Starts the process; a no-op unless DEAD. */
    public synchronized void start() throws IOException {
        if (state != State.DEAD) {
            return;
        }
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(config.toString());
        starts++;
        ProcessBuilder pb = new ProcessBuilder(hosts.wrap(id, cmd)).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(logFile().toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("RUNNEL_") || k.startsWith("FAKETIME")
                || k.equals("LD_PRELOAD"));
        pb.environment().putAll(env);
        process = pb.start();
        state = State.RUNNING;
    }

    /** True once the current start has logged that its Kafka listener is up. */
    public synchronized boolean listening() {
        return logged("Listening on PLAINTEXT");
    }

    /** True when the process runs and the log of its current start has a line containing {@code needle}. */
    public synchronized boolean logged(String needle) {
        try {
            return state == State.RUNNING && Files.exists(logFile()) && Files.readString(logFile()).contains(needle);
        } catch (IOException e) {
            return false;
        }
    }

    /** True when the process exited by itself (not by our SIGKILL): a crash to report. */
    public synchronized boolean exitedUnexpectedly() {
        return state != State.DEAD && process != null && !process.isAlive();
    }

    /** SIGKILL, waiting until the process is gone; a no-op when DEAD. */
    public synchronized void kill() throws InterruptedException {
        if (state == State.DEAD) {
            return;
        }
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + id + " survived SIGKILL");
        }
        state = State.DEAD;
    }

    /** SIGSTOP; a no-op unless RUNNING. */
    public synchronized void pause() {
        if (state == State.RUNNING && process.isAlive()) {
            Shell.check("kill", "-STOP", Long.toString(process.pid()));
            state = State.PAUSED;
        }
    }

    /** SIGCONT; a no-op unless PAUSED. */
    public synchronized void resume() {
        if (state == State.PAUSED) {
            Shell.quiet("kill", "-CONT", Long.toString(process.pid()));
            state = State.RUNNING;
        }
    }

    /** SIGTERM, then SIGKILL after {@code graceMs}: the end of a run. */
    public synchronized void stop(long graceMs) throws InterruptedException {
        if (process != null && process.isAlive()) {
            Shell.quiet("kill", "-CONT", Long.toString(process.pid()));
            process.destroy();
            if (!process.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
        state = State.DEAD;
    }
}
