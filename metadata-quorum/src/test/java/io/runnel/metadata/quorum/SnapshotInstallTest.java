package io.runnel.metadata.quorum;

import static io.runnel.metadata.quorum.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.record.MetadataApplyReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A voter that was down while the others snapshotted and purged their logs past what it has catches up by a Ratis
 * snapshot install: its state machine is paused, reloads the installed snapshot (the image), then applies the log
 * after it. Ratis' StateMachineUpdater requires the state machine to be PAUSED before the reload and closes the
 * server otherwise; this test fails when that path breaks.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class SnapshotInstallTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long SNAPSHOT_EVERY = 8;
    private static final int WRITTEN_WHILE_DOWN = 300;

    @TempDir
    Path dir;
    private final QuorumNode[] nodes = new QuorumNode[3];
    private QuorumClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        for (QuorumNode n : nodes) {
            if (n != null) {
                n.close();
            }
        }
    }

    private QuorumNode start(int i, String voters) throws Exception {
        return QuorumNode.start(TestSupport.config(i + 1, voters, dir.resolve("node-" + (i + 1)), null),
                SNAPSHOT_EVERY, true);
    }

    private long write(String topic) throws Exception {
        MetadataApplyReply r = client.submit(TestSupport.topicBatch(topic)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(ErrorCode.NONE, QuorumClient.error(r), r.getErrorMessage());
        return r.getIndex();
    }

    @Test
    void aVoterBehindThePurgedLogCatchesUpByASnapshotInstall() throws Exception {
        String voters = TestSupport.voters(TestSupport.freePorts(3));
        for (int i = 0; i < 3; i++) {
            nodes[i] = start(i, voters);
        }
        await("one ready leader", WAIT, () -> java.util.Arrays.stream(nodes).anyMatch(QuorumNode::isLeaderReady));
        client = new QuorumClient(nodes[0].group());
        long first = write("before");
        int down = 0;
        while (nodes[down].isLeaderReady()) {
            down++;
        }
        for (QuorumNode n : nodes) {
            n.stateMachine().awaitApplied(first).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        nodes[down].close();
        nodes[down] = null;

        long last = 0;
        for (int i = 0; i < WRITTEN_WHILE_DOWN; i++) {
            last = write("t" + i);
        }
        int up = (down + 1) % 3;
        nodes[up].stateMachine().awaitApplied(last).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        nodes[down] = start(down, voters);
        nodes[down].stateMachine().awaitApplied(last).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(nodes[up].stateMachine().image().digest(), nodes[down].stateMachine().image().digest());
        assertEquals(WRITTEN_WHILE_DOWN + 1, nodes[down].stateMachine().image().topicsByName().size());
        assertTrue(nodes[down].stateMachine().installedSnapshots() >= 1, "it caught up by a snapshot install");

        // the reloaded voter keeps applying new entries: its Ratis server was not closed by the install
        long after = write("after");
        nodes[down].stateMachine().awaitApplied(after).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(nodes[down].stateMachine().image().topicsByName().containsKey("after"));
    }
}
