package io.runnel.compat;

import io.runnel.metadata.testing.LoopbackPorts;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One combined broker+controller Runnel node in its own OS process, started as the README's quickstart does:
 * {@code bin/runnel server-start config/server.properties} with {@code --override}s for free loopback ports (below the
 * ephemeral range, {@link LoopbackPorts}) and a data directory of the test's own.
 *
 * <p>The process runs the cli module's packaged classpath, {@code cli/target/classes:cli/target/lib/*}, with
 * {@code RUNNEL_SKIP_BUILD=1}: nothing of Runnel (nor its kafka-clients 4.2.x) is on the test JVM's classpath, so the
 * test can use Apache Kafka 4.4 jars. {@link #close()} kills the process by its pid.
 */
public final class RunnelNode implements AutoCloseable {

    /** Upper bound for the node's start and stop, seconds; generous for a loaded 2-core machine. */
    public static final long TIMEOUT_SECONDS = 90;

    private final ProcessBuilder builder;
    private final Path log;
    private final int brokerPort;
    private final int nodeId;
    private Process process;

    private RunnelNode(ProcessBuilder builder, Path log, int brokerPort, int nodeId) {
        this.builder = builder;
        this.log = log;
        this.brokerPort = brokerPort;
        this.nodeId = nodeId;
    }

    /** The repository root: the parent of the compat-tests module surefire runs in. */
    public static Path repoRoot() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
    }

    /**
     * Starts the node and waits (bounded by {@link #TIMEOUT_SECONDS}) until broker 1 is unfenced, i.e. topics can
     * be created on it.
     *
     * @param workDir where the data directory ({@code workDir/data}) and the node's log ({@code workDir/runnel.log})
     *                go
     * @param overrides more {@code key=value} overrides of {@code config/server.properties}
     * @throws AssertionError when the cli module is not packaged, or the process exits or the wait runs out first
     *                        (with the node's log)
     */
    public static RunnelNode start(Path workDir, String... overrides) throws IOException {
        List<Integer> ports = LoopbackPorts.free(2);
        RunnelNode node = create(workDir, 1, ports.get(0), ports.get(1), "1@127.0.0.1:" + ports.get(1), overrides);
        node.launch();
        return node;
    }

    /**
     * Prepares (starts nothing) node {@code nodeId} of a cluster whose every node is a combined broker+controller
     * voter: {@code node.id}, {@code controller.quorum.voters} and the listeners are overridden, the data directory is
     * {@code workDir/data}. {@link #launch()} starts it.
     *
     * @param voters {@code controller.quorum.voters} of the whole cluster, {@code id@127.0.0.1:port,...}
     */
    public static RunnelNode create(Path workDir, int nodeId, int brokerPort, int controllerPort, String voters,
            String... overrides) throws IOException {
        Path root = repoRoot();
        Path classes = root.resolve("cli/target/classes");
        Path lib = root.resolve("cli/target/lib");
        if (!Files.isDirectory(classes) || !Files.isDirectory(lib)) {
            throw new AssertionError(classes + " or " + lib + " is missing: the cli module's package phase writes them;"
                    + " run `mvn -B -DskipTests package` from " + root + " first (or `mvn -B verify`, which builds"
                    + " cli before compat-tests)");
        }
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/runnel").toString(), "server-start",
                root.resolve("config/server.properties").toString(),
                "--override", "node.id=" + nodeId,
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:"
                        + controllerPort,
                "--override", "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "--override", "controller.quorum.voters=" + voters,
                "--override", "log.dirs=" + workDir.resolve("data")));
        for (String o : overrides) {
            command.add("--override");
            command.add(o);
        }
        Path log = workDir.resolve("runnel.log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("runnel.out").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("RUNNEL_"));
        pb.environment().put("RUNNEL_SKIP_BUILD", "1");
        pb.environment().put("RUNNEL_CLASSPATH", classes + File.pathSeparator + lib + File.separator + "*");
        pb.environment().put("RUNNEL_HEAP_OPTS", "-Xmx512m");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return new RunnelNode(pb, log, brokerPort, nodeId);
    }

    /**
     * Starts the (prepared, or killed) process and waits, bounded by {@link #TIMEOUT_SECONDS}, until this start of
     * it logs that its broker is unfenced. The log is appended to across restarts; only lines after this start count.
     *
     * @throws AssertionError when the process exits or the wait runs out first (with the node's log)
     */
    public void launch() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("node " + nodeId + " is running (pid " + process.pid() + ")");
        }
        int from = logLines().size();
        process = builder.start();
        try {
            awaitLogLine("Broker " + nodeId + " is now unfenced", Duration.ofSeconds(TIMEOUT_SECONDS), from);
        } catch (AssertionError | IOException e) {
            close();
            throw e;
        }
    }

    /**
     * SIGKILL, without a controlled shutdown (a crash); waits, bounded, until the process is gone. {@link #launch()}
     * starts it again on the same data directory and ports.
     */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("node " + nodeId + " (pid " + process.pid() + ") survived SIGKILL");
        }
    }

    /** The node's {@code node.id}. */
    public int nodeId() {
        return nodeId;
    }

    /** {@code 127.0.0.1:<broker port>}, for {@code bootstrap.servers}. */
    public String bootstrap() {
        return "127.0.0.1:" + brokerPort;
    }

    /** The node's process id. */
    public long pid() {
        return process.pid();
    }

    /** The node's log so far (its stderr). */
    public List<String> logLines() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /**
     * Copies the node's log so far to {@code target}, replacing it (so the last run's log stays beside the worker's
     * log in {@code target/} after the work directory is gone).
     */
    public void copyLogTo(Path target) throws IOException {
        if (Files.exists(log)) {
            Files.copy(log, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The node's log lines at WARN or ERROR level so far, for failure messages and reports. */
    public List<String> warnings() throws IOException {
        return logLines().stream().filter(l -> l.contains("[WARN]") || l.contains("[ERROR]")).toList();
    }

    /**
     * Waits until the node has logged a line containing {@code needle}.
     *
     * @throws AssertionError when the process exits first or {@code limit} passes
     */
    public void awaitLogLine(String needle, Duration limit) throws IOException {
        awaitLogLine(needle, limit, 0);
    }

    /** {@link #awaitLogLine(String, Duration)}, looking only at the log's lines from index {@code fromLine} on. */
    public void awaitLogLine(String needle, Duration limit, int fromLine) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            List<String> lines = logLines();
            if (lines.stream().skip(fromLine).anyMatch(l -> l.contains(needle))) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the Runnel node exited with " + process.exitValue() + " before logging '"
                        + needle + "': " + lines);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the Runnel node logged no line with '" + needle + "' within " + limit + ": "
                        + lines);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for '" + needle + "'", e);
            }
        }
    }

    /**
     * Stops the node by its pid: SIGTERM (a controlled shutdown), then SIGKILL for it and its descendants if it has
     * not exited within {@link #TIMEOUT_SECONDS}.
     */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        ProcessHandle handle = ProcessHandle.of(process.pid()).orElse(null);
        if (handle == null) {
            return;
        }
        handle.destroy();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                handle.descendants().forEach(ProcessHandle::destroyForcibly);
                handle.destroyForcibly();
                process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
