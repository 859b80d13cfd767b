package io.runnel.cli;

import io.runnel.metadata.testing.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One combined broker+controller node started exactly as the README's quickstart does,
 * {@code bin/runnel server-start config/server.properties}, with {@code --override}s that move it to free loopback
 * ports and a data directory of the test's own: {@code listeners}, {@code advertised.listeners},
 * {@code controller.quorum.voters} and {@code log.dirs}. Started through a {@link LaunchedProcesses}, which kills it
 * in teardown if the test did not stop it.
 */
public final class RunnelServerProcess {

    private final Process process;
    private final Path log;
    private final Path dataDir;
    private final int brokerPort;
    private final int controllerPort;

    private RunnelServerProcess(Process process, Path log, Path dataDir, int brokerPort, int controllerPort) {
        this.process = process;
        this.log = log;
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago, below the ephemeral range ({@link LoopbackPorts}). */
    public static int freePort() throws IOException {
        return LoopbackPorts.free();
    }

    /**
     * Starts the node and waits (bounded by {@link LaunchedProcesses#TIMEOUT_SECONDS}) until broker 1 is
     * registered and unfenced, i.e. topics can be created on it.
     *
     * @param dataDir the node's {@code log.dirs} (formatted on this first start)
     * @param extraOverrides more {@code key=value} overrides
     * @throws AssertionError when the process exits or the wait runs out first, with its log
     */
    public static RunnelServerProcess start(LaunchedProcesses processes, Path dataDir, String... extraOverrides)
            throws IOException {
        int broker = freePort();
        int controller = freePort();
        List<String> args = new ArrayList<>(List.of("server-start",
                LaunchedProcesses.repoRoot().resolve("config/server.properties").toString(),
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + broker + ",CONTROLLER://127.0.0.1:" + controller,
                "--override", "advertised.listeners=PLAINTEXT://127.0.0.1:" + broker,
                "--override", "controller.quorum.voters=1@127.0.0.1:" + controller,
                "--override", "log.dirs=" + dataDir));
        for (String o : extraOverrides) {
            args.add("--override");
            args.add(o);
        }
        Path log = processes.errFile(processes.runs());
        Process p = processes.start(LaunchedProcesses.repoRoot().resolve("bin/runnel"),
                LaunchedProcesses.skipBuildEnv(), args.toArray(String[]::new));
        RunnelServerProcess server = new RunnelServerProcess(p, log, dataDir, broker, controller);
        server.awaitLogLine("Broker 1 is now unfenced", Duration.ofSeconds(LaunchedProcesses.TIMEOUT_SECONDS));
        return server;
    }

    /** {@code 127.0.0.1:<broker port>}, for {@code --bootstrap-server}. */
    public String bootstrap() {
        return "127.0.0.1:" + brokerPort;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Process process() {
        return process;
    }

    /** The server's log so far (its stderr). */
    public List<String> logLines() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /**
     * Waits until the server has logged a line containing {@code needle}.
     *
     * @return the log at that moment
     * @throws AssertionError when the process exits first or {@code limit} passes
     */
    public List<String> awaitLogLine(String needle, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            List<String> lines = logLines();
            if (lines.stream().anyMatch(l -> l.contains(needle))) {
                return lines;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the server exited with " + process.exitValue() + " before logging '"
                        + needle + "': " + lines);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line with '" + needle + "' within " + limit + ": " + lines);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for '" + needle + "'", e);
            }
        }
    }

    /**
     * SIGTERM, then waits (bounded) for the exit.
     *
     * @return the exit code
     */
    public int terminate() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(LaunchedProcesses.TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not exit within " + LaunchedProcesses.TIMEOUT_SECONDS
                    + " s of SIGTERM");
        }
        return process.exitValue();
    }
}
