package io.runnel.metadata.quorum;

import static io.runnel.metadata.quorum.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.record.MetadataApplyReply;
import io.runnel.metadata.rpc.RaftVoterChangeResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault-injection runs' lost quorum, in this JVM: five voters, two removed (they stay Ratis listeners), then
 * AddRaftVoter of a removed controller that is down while another voter is down too. Ratis promotes a listener
 * without catching it up (no staging: it is already in the configuration), so such an add appended the joint
 * configuration at once; its new half (old voters plus the dead node) had no live majority, so the leader could
 * commit nothing, stepped down, and the quorum stayed without a leader. The add must be refused, changing nothing;
 * then every node restarts with its original static {@code controller.quorum.voters} (all five), the quorum commits
 * again, every image (voters' and listeners') catches up, and the removed node can be added back once it runs.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class QuorumMembershipLivenessTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private final QuorumNode[] nodes = new QuorumNode[5];
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

    private int leader() {
        int[] found = {-1};
        await("a ready leader", WAIT, () -> {
            for (int i = 0; i < nodes.length; i++) {
                if (nodes[i] != null && nodes[i].isLeaderReady()) {
                    found[0] = i;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static List<Integer> voterIds(QuorumInfo info) {
        return info.voters().stream().map(QuorumInfo.ReplicaState::replicaId).sorted().toList();
    }

    private static long write(QuorumClient client, String topic, Duration within) throws Exception {
        MetadataApplyReply r = client.submit(TestSupport.topicBatch(topic)).get(within.toMillis(),
                TimeUnit.MILLISECONDS);
        assertEquals(ErrorCode.NONE, QuorumClient.error(r), r.getErrorMessage());
        return r.getIndex();
    }

    private QuorumNode start(int id, String voters) throws Exception {
        return QuorumNode.start(TestSupport.config(id, voters, dir.resolve("node-" + id), null), 8);
    }

    @Test
    void addingBackADownRemovedVoterIsRefusedAndAfterRestartsTheQuorumCommitsAndEveryImageCatchesUp()
            throws Exception {
        List<Integer> ports = TestSupport.freePorts(5);
        String voters = TestSupport.voters(ports);
        for (int id = 1; id <= 5; id++) {
            nodes[id - 1] = start(id, voters);
        }
        int lead = leader() + 1;
        List<Integer> others = new ArrayList<>();
        for (int id = 1; id <= 5; id++) {
            if (id != lead) {
                others.add(id);
            }
        }
        int a = others.get(0); // removed, stays a running listener
        int b = others.get(1); // removed, then down while it is added back
        int c = others.get(2); // a remaining voter, down during the add
        QuorumClient writer = new QuorumClient(nodes[0].group());
        toClose.add(writer);
        ControllerClient admin = new ControllerClient(nodes[0].group(), Duration.ofSeconds(30));
        toClose.add(admin);
        for (int i = 0; i < 5; i++) {
            write(writer, "before-" + i, WAIT);
        }

        for (int removed : List.of(a, b)) {
            RaftVoterChangeResponse r = admin.removeRaftVoter(removed, Duration.ofSeconds(30))
                    .get(40, TimeUnit.SECONDS);
            assertEquals(0, r.getErrorCode(), r.getErrorMessage());
        }
        List<Integer> three = new ArrayList<>(others.subList(2, 4));
        three.add(lead);
        three.sort(null);
        assertEquals(three, voterIds(admin.describeQuorum().get(30, TimeUnit.SECONDS)));
        assertEquals(lead, leader() + 1);

        // the removed listener b and the voter c go down; once the leader has not heard from b for longer than
        // VoterChanges.LIVE_MS, adding b back must change nothing (the leader and the third voter still commit)
        nodes[b - 1].close();
        nodes[b - 1] = null;
        nodes[c - 1].close();
        nodes[c - 1] = null;
        Thread.sleep(4_000);
        RaftVoterChangeResponse add = admin.addRaftVoter(b, "127.0.0.1", ports.get(b - 1), Duration.ofSeconds(5))
                .get(20, TimeUnit.SECONDS);
        assertNotEquals(0, add.getErrorCode(), "adding back node " + b + " while it is down: "
                + add.getErrorMessage());
        assertEquals(ErrorCode.REQUEST_TIMED_OUT.code(), add.getErrorCode(), add.getErrorMessage());
        write(writer, "during", Duration.ofSeconds(15));
        assertEquals(three, voterIds(admin.describeQuorum().get(30, TimeUnit.SECONDS)));

        // every node restarts with the static voters 1..5 (the down ones, then the rest one by one)
        nodes[c - 1] = start(c, voters);
        nodes[b - 1] = start(b, voters);
        for (int id : List.of(a, lead)) {
            nodes[id - 1].close();
            nodes[id - 1] = null;
            nodes[id - 1] = start(id, voters);
        }
        leader();
        long last = 0;
        for (int i = 0; i < 5; i++) {
            last = write(writer, "after-" + i, WAIT);
        }
        assertEquals(three, voterIds(admin.describeQuorum().get(30, TimeUnit.SECONDS)));
        String digest = null;
        for (int id = 1; id <= 5; id++) {
            nodes[id - 1].stateMachine().awaitApplied(last).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            String d = nodes[id - 1].stateMachine().image().digest();
            digest = digest == null ? d : digest;
            assertEquals(digest, d, "image digest of node " + id);
            assertEquals(11, nodes[id - 1].stateMachine().image().topicsByName().size(), "topics of node " + id);
        }

        // running again (a listener the leader hears from), b is added back
        await("node " + b + " added back", WAIT, () -> {
            try {
                return admin.addRaftVoter(b, "127.0.0.1", ports.get(b - 1), Duration.ofSeconds(10))
                        .get(20, TimeUnit.SECONDS).getErrorCode() == 0;
            } catch (Exception e) {
                return false;
            }
        });
        List<Integer> four = new ArrayList<>(three);
        four.add(b);
        four.sort(null);
        assertEquals(four, voterIds(admin.describeQuorum().get(30, TimeUnit.SECONDS)));
        write(writer, "added-back", WAIT);
    }
}
