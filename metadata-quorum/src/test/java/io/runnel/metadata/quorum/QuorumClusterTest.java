package io.runnel.metadata.quorum;

import static io.runnel.metadata.quorum.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.record.MetadataApplyReply;
import io.runnel.metadata.record.MetadataRecordBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three voters in this JVM on free loopback ports: election, replication, leader loss, catch-up after restart. */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class QuorumClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long SNAPSHOT_EVERY = 8;

    @TempDir
    Path dir;
    private final QuorumNode[] nodes = new QuorumNode[3];
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        for (QuorumNode n : nodes) {
            if (n != null) {
                n.close();
            }
        }
    }

    private QuorumConfig config(int i, String voters) {
        return TestSupport.config(i + 1, voters, dir.resolve("node-" + (i + 1)), null);
    }

    private int awaitSingleLeader() {
        int[] leader = {-1};
        await("one ready leader", WAIT, () -> {
            int found = -1;
            for (int i = 0; i < nodes.length; i++) {
                if (nodes[i] != null && nodes[i].isLeaderReady()) {
                    if (found >= 0) {
                        return false;
                    }
                    found = i;
                }
            }
            leader[0] = found;
            return found >= 0;
        });
        return leader[0];
    }

    private MetadataApplyReply submit(QuorumClient client, MetadataRecordBatch batch) throws Exception {
        return client.submit(batch).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private void awaitAllApplied(long index) throws Exception {
        for (QuorumNode n : nodes) {
            if (n != null) {
                n.stateMachine().awaitApplied(index).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    private void assertSameDigest() {
        String[] digests = Arrays.stream(nodes).filter(n -> n != null).map(n -> n.stateMachine().image().digest())
                .toArray(String[]::new);
        for (String d : digests) {
            assertEquals(digests[0], d);
        }
    }

    @Test
    void electsReplicatesSurvivesLeaderLossAndCatchesUpARestartedNode() throws Exception {
        String voters = TestSupport.voters(TestSupport.freePorts(3));
        for (int i = 0; i < 3; i++) {
            nodes[i] = QuorumNode.start(config(i, voters), SNAPSHOT_EVERY);
        }
        awaitSingleLeader();
        QuorumClient client = new QuorumClient(nodes[0].group());
        toClose.add(client);

        MetadataApplyReply first = submit(client, TestSupport.topicBatch("orders"));
        assertEquals(ErrorCode.NONE, QuorumClient.error(first));
        awaitAllApplied(first.getIndex());
        assertSameDigest();
        for (QuorumNode n : nodes) {
            assertTrue(n.stateMachine().image().topicsByName().containsKey("orders"));
        }

        // a batch with an invalid record is rejected as a whole, everywhere, and the image stays
        String before = nodes[0].stateMachine().image().digest();
        MetadataApplyReply bad = submit(client, TestSupport.topicBatch("orders"));
        assertEquals(ErrorCode.TOPIC_ALREADY_EXISTS, QuorumClient.error(bad));
        assertEquals(before, nodes[0].stateMachine().image().digest());

        // the leader goes away: a new one is elected and writes work again
        int oldLeader = awaitSingleLeader();
        nodes[oldLeader].close();
        nodes[oldLeader] = null;
        awaitSingleLeader();
        long last = 0;
        for (int i = 0; i < 2 * SNAPSHOT_EVERY + 3; i++) { // enough entries for snapshots while it is down
            MetadataApplyReply r = submit(client, TestSupport.topicBatch("t" + i));
            assertEquals(ErrorCode.NONE, QuorumClient.error(r), r.getErrorMessage());
            last = r.getIndex();
        }
        awaitAllApplied(last);
        assertSameDigest();

        // the stopped node comes back, recovers its storage and catches up to the same image
        nodes[oldLeader] = QuorumNode.start(config(oldLeader, voters), SNAPSHOT_EVERY);
        awaitAllApplied(last);
        assertSameDigest();
        assertEquals(2 * SNAPSHOT_EVERY + 4, nodes[oldLeader].stateMachine().image().topicsByName().size());
    }
}
