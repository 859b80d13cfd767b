package io.runnel.cli.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.cli.LaunchedProcesses;
import io.runnel.cli.RunnelServerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka's {@code MetadataQuorumCommand} (what {@code kafka-metadata-quorum.sh} runs; test-scoped kafka-tools)
 * against a one-voter Runnel node: its {@code remove-controller} reaches RemoveRaftVoter (key 81, KIP-853) through the
 * broker, and Runnel's refusals come back as Kafka's errors: an unknown id (VOTER_NOT_FOUND), the last voter
 * (INVALID_REQUEST). The voter set is unchanged afterwards.
 */
class KafkaQuorumToolTest {
    @TempDir
    Path dir;
    private LaunchedProcesses processes;
    private String bootstrap;

    @BeforeEach
    void setUp() throws Exception {
        processes = new LaunchedProcesses(dir);
        bootstrap = RunnelServerProcess.start(processes, dir.resolve("data")).bootstrap();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        processes.close();
    }

    private LaunchedProcesses.Result quorumTool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.tools.MetadataQuorumCommand", "--bootstrap-server", bootstrap));
        command.addAll(List.of(args));
        return processes.runCommand(command, Map.of(), null);
    }

    @Test
    void removeControllerRefusalsComeBackAsKafkasErrors() throws Exception {
        LaunchedProcesses.Result unknown = quorumTool("remove-controller", "--controller-id", "9",
                "--controller-directory-id", "AAAAAAAAAAAAAAAAAAAAAA");
        assertNotEquals(0, unknown.exitCode(), unknown.out()::toString);
        assertTrue(String.join("\n", unknown.err()).contains("Node 9 is not a voter"), unknown.err()::toString);

        LaunchedProcesses.Result last = quorumTool("remove-controller", "--controller-id", "1",
                "--controller-directory-id", "AAAAAAAAAAAAAAAAAAAAAA");
        assertNotEquals(0, last.exitCode(), last.out()::toString);
        assertTrue(String.join("\n", last.err()).contains("last voter"), last.err()::toString);

        LaunchedProcesses.Result status = quorumTool("describe", "--status");
        assertEquals(0, status.exitCode(), status.err()::toString);
        assertTrue(status.out().stream().anyMatch(l -> l.startsWith("CurrentVoters:") && l.contains("\"id\": 1")),
                status.out()::toString);
    }
}
