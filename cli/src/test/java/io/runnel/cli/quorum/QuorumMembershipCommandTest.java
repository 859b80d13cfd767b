package io.runnel.cli.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.cli.CliRunner;
import io.runnel.cli.CommandFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.DuplicateVoterException;
import org.apache.kafka.common.errors.VoterNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runnel metadata-quorum ... add-controller / remove-controller} (KIP-853) against a fake {@link QuorumAdmin}:
 * what is read from the new controller's properties, Kafka's output lines, the directory-id rule, usage errors (exit
 * 2) and the broker's refusals (one line, exit 1).
 */
class QuorumMembershipCommandTest {
    private static final String ZERO = QuorumStatusFormat.ZERO_DIRECTORY_ID;

    @TempDir
    Path dir;
    private final List<String> calls = new ArrayList<>();
    private RuntimeException refusal;

    private final class Fake extends MetadataQuorumCommandTest.FakeAdmin {
        @Override
        public void addController(int id, String directoryId, List<ControllerEndpoint> endpoints) {
            calls.add("add " + id + " " + directoryId + " " + endpoints);
            if (refusal != null) {
                throw refusal;
            }
        }

        @Override
        public void removeController(int id, String directoryId) {
            calls.add("remove " + id + " " + directoryId);
            if (refusal != null) {
                throw refusal;
            }
        }
    }

    private CliRunner.Result run(String... args) {
        List<String> full = new ArrayList<>(List.of("metadata-quorum", "--bootstrap-server", "localhost:9092"));
        full.addAll(List.of(args));
        return CliRunner.run(CommandFactory.with(new QuorumAddControllerCommand(props -> new Fake()),
                new QuorumRemoveControllerCommand(props -> new Fake())), full.toArray(String[]::new));
    }

    private Path controllerProperties(String text) throws IOException {
        Path p = dir.resolve("new-controller.properties");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void addControllerReadsNodeIdAndControllerListenerAndPrintsKafkasLine() throws IOException {
        Path p = controllerProperties("process.roles=controller\nnode.id=4\n"
                + "listeners=CONTROLLER://127.0.0.1:9099\ncontroller.listener.names=CONTROLLER\n"
                + "controller.quorum.bootstrap.servers=127.0.0.1:9093\n");
        CliRunner.Result r = run("--command-config", p.toString(), "add-controller");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of("add 4 " + ZERO + " [CONTROLLER://127.0.0.1:9099]"), calls);
        assertEquals(List.of("Added controller 4 with directory id " + ZERO
                + " and endpoints: CONTROLLER://127.0.0.1:9099"), r.out());

        calls.clear(); // advertised.listeners wins when it names the controller listener
        Path adv = controllerProperties("process.roles=broker,controller\nnode.id=5\n"
                + "listeners=PLAINTEXT://:9092,CONTROLLER://:9099\nadvertised.listeners=CONTROLLER://ctl5:9099\n");
        assertEquals(0, run("--command-config", adv.toString(), "add-controller").exitCode());
        assertEquals(List.of("add 5 " + ZERO + " [CONTROLLER://ctl5:9099]"), calls);
    }

    @Test
    void addControllerNeedsAControllerConfig() throws IOException {
        CliRunner.Result none = run("add-controller");
        assertEquals(2, none.exitCode());
        assertTrue(none.err().get(0).contains("--command-config"), none.err().toString());

        Path broker = controllerProperties("process.roles=broker\nnode.id=4\nlisteners=PLAINTEXT://:9092\n");
        CliRunner.Result notController = run("--command-config", broker.toString(), "add-controller");
        assertEquals(1, notController.exitCode());
        assertEquals(List.of("runnel: process.roles in " + broker + " must contain 'controller' to add a controller"),
                notController.err());

        Path noId = controllerProperties("process.roles=controller\nlisteners=CONTROLLER://:9099\n");
        assertEquals(List.of("runnel: node.id not found in " + noId),
                run("--command-config", noId.toString(), "add-controller").err());
        assertEquals(List.of(), calls);
    }

    @Test
    void removeControllerTakesOnlyTheZeroDirectoryId() {
        CliRunner.Result r = run("remove-controller", "--controller-id", "2");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of("Removed KRaft controller 2 with directory id " + ZERO), r.out());
        assertEquals(0, run("remove-controller", "--controller-id", "3", "--controller-directory-id", ZERO)
                .exitCode());
        assertEquals(List.of("remove 2 " + ZERO, "remove 3 " + ZERO), calls);

        CliRunner.Result dirId = run("remove-controller", "--controller-id", "3", "--controller-directory-id",
                "b3pHUI2bRZ-zA8uXjv7VNw");
        assertEquals(2, dirId.exitCode());
        assertTrue(dirId.err().get(0).contains("no directory ids"), dirId.err().toString());
        CliRunner.Result noId = run("remove-controller");
        assertEquals(2, noId.exitCode());
        assertEquals(2, calls.size());
    }

    @Test
    void refusalsAreOneLine() throws IOException {
        refusal = new VoterNotFoundException("Node 9 is not a voter [1, 2, 3]");
        CliRunner.Result unknown = run("remove-controller", "--controller-id", "9");
        assertEquals(1, unknown.exitCode());
        assertEquals(List.of("runnel: Node 9 is not a voter [1, 2, 3]"), unknown.err());
        assertEquals(List.of(), unknown.out());

        refusal = new DuplicateVoterException("Node 2 already is a voter [1, 2, 3]");
        Path p = controllerProperties("process.roles=controller\nnode.id=2\nlisteners=CONTROLLER://:9095\n");
        CliRunner.Result dup = run("--command-config", p.toString(), "add-controller");
        assertEquals(1, dup.exitCode());
        assertEquals(List.of("runnel: Node 2 already is a voter [1, 2, 3]"), dup.err());
    }
}
