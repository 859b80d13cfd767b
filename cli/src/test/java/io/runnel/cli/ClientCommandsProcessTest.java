package io.runnel.cli;

import io.runnel.metadata.testing.LoopbackPorts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client commands ({@code topics}, {@code console-*}, {@code *-perf-test}) as real {@code bin/runnel}
 * processes, without a broker: their failures must be exactly one stderr line (no kafka-clients log lines, no
 * stack trace) with the documented exit code. Ports come from the OS, never fixed.
 */
class ClientCommandsProcessTest {

    private static final Path LAUNCHER = LaunchedProcesses.repoRoot().resolve("bin/runnel");

    @TempDir
    Path dir;

    private LaunchedProcesses processes;

    @BeforeEach
    void setUp() {
        processes = new LaunchedProcesses(dir);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        processes.close();
    }

    private LaunchedProcesses.Result runnel(String... args) throws IOException, InterruptedException {
        return processes.run(LAUNCHER, LaunchedProcesses.skipBuildEnv(), args);
    }

    private static int closedPort() throws IOException {
        return LoopbackPorts.free();
    }

    @Test
    void aBadFlagCombinationIsExitTwoWithOneLineAndAHint() throws Exception {
        LaunchedProcesses.Result r = runnel("topics", "--bootstrap-server", "localhost:9092", "--list", "--delete");
        assertEquals(2, r.exitCode());
        assertEquals(List.of("runnel: Command must include exactly one action: --list, --describe, --create, --alter "
                + "or --delete", "Run 'runnel topics --help' for usage."), r.err());
        assertEquals(List.of(), r.out());
    }

    @Test
    void nothingListeningIsOneLineForEveryClientCommand() throws Exception {
        String broker = "127.0.0.1:" + closedPort();
        String expected = "runnel: cannot reach broker at " + broker + " (connection refused)";
        List<List<String>> commands = List.of(
                List.of("topics", "--bootstrap-server", broker, "--list"),
                List.of("delete-records", "--bootstrap-server", broker, "--topic", "t", "--partition", "0",
                        "--before-offset", "1"),
                List.of("leader-election", "--bootstrap-server", broker, "--election-type", "preferred",
                        "--all-topic-partitions"),
                List.of("log-dirs", "--bootstrap-server", broker, "--describe"),
                List.of("transactions", "--bootstrap-server", broker, "list"),
                List.of("console-consumer", "--bootstrap-server", broker, "--topic", "t"),
                List.of("console-producer", "--bootstrap-server", broker, "--topic", "t"),
                List.of("producer-perf-test", "--topic", "t", "--num-records", "1", "--record-size", "1",
                        "--throughput", "-1", "--bootstrap-server", broker),
                List.of("consumer-perf-test", "--bootstrap-server", broker, "--topic", "t", "--messages", "1"));
        for (List<String> command : commands) {
            LaunchedProcesses.Result r = runnel(command.toArray(String[]::new));
            assertEquals(1, r.exitCode(), command + " " + r.err());
            assertEquals(List.of(expected), r.err(), command.toString());
        }
    }

    @Test
    void aPeerThatNeverAnswersTimesOutWithOneLineAndNoClientLogs() throws Exception {
        Path config = dir.resolve("admin.properties");
        Files.writeString(config, "default.api.timeout.ms=1500\nrequest.timeout.ms=1000\n");
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String broker = "127.0.0.1:" + silent.getLocalPort();
            LaunchedProcesses.Result r = runnel("topics", "--bootstrap-server", broker, "--list", "--command-config",
                    config.toString());
            assertEquals(1, r.exitCode(), r.err().toString());
            assertEquals(1, r.err().size(), r.err().toString());
            assertTrue(r.err().get(0).startsWith("runnel: timed out talking to the broker at " + broker + ": "),
                    r.err().get(0));
        }
    }
}
