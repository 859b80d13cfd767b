package io.runnel.cli;

import io.runnel.metadata.testing.LoopbackPorts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/runnel metadata-quorum} as a real process against a real node started from {@code
 * config/server.properties} (ports and data directory overridden): Kafka's status lines and replication table for a
 * one-voter quorum, and one-line failures. Every process is killed by pid in teardown.
 */
class MetadataQuorumProcessTest {
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

    private static int freePort() throws IOException {
        return LoopbackPorts.free();
    }

    private LaunchedProcesses.Result runnel(String... args) throws IOException, InterruptedException {
        return processes.run(LAUNCHER, LaunchedProcesses.skipBuildEnv(), args);
    }

    private static void waitForLine(Path file, String needle, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LaunchedProcesses.TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            if (lines.stream().anyMatch(l -> l.contains(needle))) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("exited with " + p.exitValue() + " before '" + needle + "': " + lines);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line with '" + needle + "' in " + file);
    }

    @Test
    void describeStatusAndReplicationOfARunningNode() throws Exception {
        int broker = freePort();
        int controller = freePort();
        Path data = dir.resolve("data");
        Process server = processes.start(LAUNCHER, LaunchedProcesses.skipBuildEnv(), "server-start",
                LaunchedProcesses.repoRoot().resolve("config/server.properties").toString(),
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + broker + ",CONTROLLER://127.0.0.1:" + controller,
                "--override", "advertised.listeners=PLAINTEXT://127.0.0.1:" + broker,
                "--override", "controller.quorum.voters=1@127.0.0.1:" + controller,
                "--override", "log.dirs=" + data);
        waitForLine(dir.resolve("err-0.txt"), "Listening on PLAINTEXT", server);
        String clusterId = Files.readAllLines(data.resolve("meta.properties")).stream()
                .filter(l -> l.startsWith("cluster.id=")).findFirst().orElseThrow().substring("cluster.id=".length());
        String bootstrap = "127.0.0.1:" + broker;

        LaunchedProcesses.Result status = runnel("metadata-quorum", "--bootstrap-server", bootstrap, "describe",
                "--status");
        assertEquals(0, status.exitCode(), status.err().toString());
        assertEquals(8, status.out().size(), status.out().toString());
        assertEquals("ClusterId:              " + clusterId, status.out().get(0));
        assertEquals("LeaderId:               1", status.out().get(1));
        assertTrue(status.out().get(2).matches("LeaderEpoch:            [1-9][0-9]*"), status.out().get(2));
        assertTrue(status.out().get(3).matches("HighWatermark:          [0-9]+"), status.out().get(3));
        assertEquals("MaxFollowerLag:         0", status.out().get(4));
        assertEquals("MaxFollowerLagTimeMs:   0", status.out().get(5));
        assertEquals("CurrentVoters:          [{\"id\": 1, \"endpoints\": [\"CONTROLLER://127.0.0.1:" + controller
                + "\"]}]", status.out().get(6));
        assertEquals("CurrentObservers:       []", status.out().get(7));
        assertEquals(List.of(), status.err());

        LaunchedProcesses.Result replication = runnel("metadata-quorum", "--bootstrap-server", bootstrap,
                "describe", "--replication", "--human-readable");
        assertEquals(0, replication.exitCode(), replication.err().toString());
        assertEquals(2, replication.out().size(), replication.out().toString());
        assertEquals(List.of("NodeId", "DirectoryId", "LogEndOffset", "Lag", "LastFetchTimestamp",
                "LastCaughtUpTimestamp", "Status"), List.of(replication.out().get(0).trim().split("\\s*\t")));
        String[] leader = replication.out().get(1).trim().split("\\s*\t");
        assertEquals("1", leader[0]);
        assertEquals("AAAAAAAAAAAAAAAAAAAAAA", leader[1]);
        assertEquals("0", leader[3]);
        assertTrue(leader[4].matches("[0-9]+ ms ago"), leader[4]);
        assertEquals("Leader", leader[6]);

        LaunchedProcesses.Result usage = runnel("metadata-quorum", "--bootstrap-server", bootstrap, "describe");
        assertEquals(2, usage.exitCode());
        assertEquals(List.of("runnel: One of --status or --replication must be specified with describe sub-command",
                "Run 'runnel metadata-quorum describe --help' for usage."), usage.err());
    }

    @Test
    void nothingListeningIsOneLine() throws Exception {
        String broker = "127.0.0.1:" + freePort();
        LaunchedProcesses.Result r = runnel("metadata-quorum", "--bootstrap-server", broker, "describe", "--status");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("runnel: cannot reach broker at " + broker + " (connection refused)"), r.err());
        assertEquals(List.of(), r.out());
    }
}
