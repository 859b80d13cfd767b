package io.runnel.cli;

import io.runnel.metadata.testing.LoopbackPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/runnel server-start} as a real process: start, format, listen, SIGTERM, refuse bad storage/config. */
class ServerStartProcessTest {
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

    static int freePort() throws IOException {
        return LoopbackPorts.free();
    }

    private Path controllerConfig(int port) throws IOException {
        Path file = dir.resolve("controller.properties");
        Files.writeString(file, String.join("\n",
                "process.roles=controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + port,
                "listeners=CONTROLLER://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "log.dirs=" + dir.resolve("data"), ""));
        return file;
    }

    private static List<String> waitForLine(Path file, String needle, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LaunchedProcesses.TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            if (lines.stream().anyMatch(l -> l.contains(needle))) {
                return lines;
            }
            if (!p.isAlive()) {
                throw new AssertionError("exited with " + p.exitValue() + " before printing '" + needle + "': " + lines);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line with '" + needle + "' in " + file);
    }

    @Test
    void controllerStartsFormatsListensAndStopsCleanlyOnSigterm() throws Exception {
        int port = freePort();
        Path config = controllerConfig(port);
        Process p = processes.start(LAUNCHER, LaunchedProcesses.skipBuildEnv(), "server-start", config.toString());
        Path err = dir.resolve("err-0.txt");
        waitForLine(err, "Listening on CONTROLLER://127.0.0.1:" + port, p);
        assertTrue(Files.exists(dir.resolve("data/meta.properties")));

        p.toHandle().destroy(); // SIGTERM
        assertTrue(p.waitFor(LaunchedProcesses.TIMEOUT_SECONDS, TimeUnit.SECONDS), "no exit after SIGTERM");
        assertTrue(Files.readAllLines(err).stream().anyMatch(l -> l.contains("Shut down node 1")));

        // a restart recovers the same storage; a different cluster.id is refused, naming both ids
        Process again = processes.start(LAUNCHER, LaunchedProcesses.skipBuildEnv(), "server-start", config.toString());
        waitForLine(dir.resolve("err-1.txt"), "Listening on", again);
        again.toHandle().destroy();
        assertTrue(again.waitFor(LaunchedProcesses.TIMEOUT_SECONDS, TimeUnit.SECONDS));
        String stored = Files.readAllLines(dir.resolve("data/meta.properties")).stream()
                .filter(l -> l.startsWith("cluster.id=")).findFirst().orElseThrow().substring("cluster.id=".length());

        LaunchedProcesses.Result refused = processes.run(LAUNCHER, LaunchedProcesses.skipBuildEnv(), "server-start",
                config.toString(), "--override", "cluster.id=someOtherCluster0000000");
        assertEquals(1, refused.exitCode());
        String line = String.join("\n", refused.err());
        assertTrue(line.contains(stored) && line.contains("someOtherCluster0000000"), line);
    }

    @Test
    void malformedConfigIsOneLineNamingTheKey() throws Exception {
        Path config = controllerConfig(freePort());
        LaunchedProcesses.Result r = processes.run(LAUNCHER, LaunchedProcesses.skipBuildEnv(), "server-start",
                config.toString(), "--override", "broker.session.timeout.ms=soon");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("runnel: Invalid value 'soon' for configuration broker.session.timeout.ms: expected a"
                + " 32-bit integer"), r.err());

        LaunchedProcesses.Result missing = processes.run(LAUNCHER, LaunchedProcesses.skipBuildEnv(), "server-start",
                dir.resolve("nope.properties").toString());
        assertEquals(1, missing.exitCode());
        assertEquals(1, missing.err().size(), missing.err().toString());
    }
}
