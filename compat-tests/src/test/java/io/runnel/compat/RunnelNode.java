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

    private final Process process;
    private final Path log;
    private final int brokerPort;

    private RunnelNode(Process process, Path log, int brokerPort) {
        this.process = process;
        this.log = log;
        this.brokerPort = brokerPort;
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
        Path root = repoRoot();
        Path classes = root.resolve("cli/target/classes");
        Path lib = root.resolve("cli/target/lib");
        if (!Files.isDirectory(classes) || !Files.isDirectory(lib)) {
            throw new AssertionError(classes + " or " + lib + " is missing: the cli module's package phase writes them;"
                    + " run `mvn -B -DskipTests package` from " + root + " first (or `mvn -B verify`, which builds"
                    + " cli before compat-tests)");
        }
        List<Integer> ports = LoopbackPorts.free(2);
        int broker = ports.get(0);
        int controller = ports.get(1);
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/runnel").toString(), "server-start",
                root.resolve("config/server.properties").toString(),
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + broker + ",CONTROLLER://127.0.0.1:" + controller,
                "--override", "advertised.listeners=PLAINTEXT://127.0.0.1:" + broker,
                "--override", "controller.quorum.voters=1@127.0.0.1:" + controller,
                "--override", "log.dirs=" + workDir.resolve("data")));
        for (String o : overrides) {
            command.add("--override");
            command.add(o);
        }
        Path log = workDir.resolve("runnel.log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(workDir.resolve("runnel.out").toFile())
                .redirectError(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("RUNNEL_"));
        pb.environment().put("RUNNEL_SKIP_BUILD", "1");
        pb.environment().put("RUNNEL_CLASSPATH", classes + File.pathSeparator + lib + File.separator + "*");
        pb.environment().put("RUNNEL_HEAP_OPTS", "-Xmx512m");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        RunnelNode node = new RunnelNode(pb.start(), log, broker);
        try {
            node.awaitLogLine("Broker 1 is now unfenced", Duration.ofSeconds(TIMEOUT_SECONDS));
        } catch (AssertionError | IOException e) {
            node.close();
            throw e;
        }
        return node;
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
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            List<String> lines = logLines();
            if (lines.stream().anyMatch(l -> l.contains(needle))) {
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
