package io.runnel.metadata.quorum;

import static io.runnel.metadata.quorum.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.record.MetadataApplyReply;
import io.runnel.metadata.rpc.RaftVoterChangeResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Controller quorum membership (KIP-853 on Ratis' configuration change), in this JVM: a fourth controller joins a
 * three-voter quorum through {@code controller.quorum.bootstrap.servers}, AddRaftVoter makes it a voter,
 * RemoveRaftVoter removes an original voter, and every remaining voter ends with the same image digest; refusals
 * (duplicate, unknown id, no live majority, the last voter) change nothing.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class QuorumMembershipTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private final QuorumNode[] nodes = new QuorumNode[4];
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

    private static QuorumConfig joiner(int id, int port, List<Integer> bootstrapPorts, Path dir, String clusterId) {
        Map<String, String> p = new HashMap<>();
        p.put("node.id", String.valueOf(id));
        p.put(QuorumConfig.BOOTSTRAP_SERVERS_KEY, String.join(",", bootstrapPorts.stream()
                .map(b -> "127.0.0.1:" + b).toList()));
        p.put("listeners", "CONTROLLER://127.0.0.1:" + port);
        p.put("metadata.log.dir", dir.toString());
        if (clusterId != null) {
            p.put("cluster.id", clusterId);
        }
        return QuorumConfig.from(p);
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
        return info.voters().stream().map(QuorumInfo.ReplicaState::replicaId).toList();
    }

    private long writeTopics(QuorumClient client, String prefix, int n) throws Exception {
        long last = -1;
        for (int i = 0; i < n; i++) {
            MetadataApplyReply r = client.submit(TestSupport.topicBatch(prefix + i)).get(WAIT.toSeconds(),
                    TimeUnit.SECONDS);
            assertEquals(ErrorCode.NONE, QuorumClient.error(r), r.getErrorMessage());
            last = r.getIndex();
        }
        return last;
    }

    private void assertSameImage(long index, int... members) throws Exception {
        String first = null;
        for (int m : members) {
            nodes[m].stateMachine().awaitApplied(index).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            String d = nodes[m].stateMachine().image().digest();
            if (first == null) {
                first = d;
            }
            assertEquals(first, d, "image digest of node " + (m + 1));
        }
    }

    @Test
    void aJoiningControllerIsAddedAnOriginalVoterRemovedAndEveryImageAgrees() throws Exception {
        List<Integer> ports = TestSupport.freePorts(4);
        String voters = TestSupport.voters(ports.subList(0, 3));
        for (int i = 0; i < 3; i++) {
            nodes[i] = QuorumNode.start(TestSupport.config(i + 1, voters, dir.resolve("node-" + (i + 1)), null), 8);
        }
        leader();
        String clusterId = nodes[0].clusterId();
        QuorumClient writer = new QuorumClient(nodes[0].group());
        toClose.add(writer);
        ControllerClient admin = new ControllerClient(nodes[0].group(), Duration.ofSeconds(30));
        toClose.add(admin);
        long before = writeTopics(writer, "before-", 20);

        // without cluster.id a joining controller is refused; it never formats anything
        assertThrows(ConfigException.class, () -> QuorumNode.start(joiner(4, ports.get(3), ports.subList(0, 2),
                dir.resolve("node-4-bad"), null)));
        // the fourth controller starts outside the voter set and learns the voters from its bootstrap servers
        nodes[3] = QuorumNode.start(joiner(4, ports.get(3), ports.subList(0, 2), dir.resolve("node-4"), clusterId));
        assertEquals(List.of(1, 2, 3), nodes[3].config().voters().stream().map(QuorumVoter::id).toList());
        assertEquals(List.of(1, 2, 3), voterIds(admin.describeQuorum().get(30, TimeUnit.SECONDS)));

        RaftVoterChangeResponse added = admin.addRaftVoter(4, "127.0.0.1", ports.get(3), Duration.ofSeconds(45))
                .get(60, TimeUnit.SECONDS);
        assertEquals(0, added.getErrorCode(), added.getErrorMessage());
        QuorumInfo four = admin.describeQuorum().get(30, TimeUnit.SECONDS);
        assertEquals(List.of(1, 2, 3, 4), voterIds(four));
        assertEquals("127.0.0.1:" + ports.get(3), four.voterAddresses().get(4));
        assertSameImage(before, 0, 1, 2, 3);

        // refusals change nothing
        assertEquals(ErrorCode.DUPLICATE_VOTER.code(), admin.addRaftVoter(4, "127.0.0.1", ports.get(3),
                Duration.ofSeconds(20)).get(30, TimeUnit.SECONDS).getErrorCode());
        assertEquals(ErrorCode.DUPLICATE_VOTER.code(), admin.addRaftVoter(2, "127.0.0.1", ports.get(1),
                Duration.ofSeconds(20)).get(30, TimeUnit.SECONDS).getErrorCode());
        assertEquals(ErrorCode.VOTER_NOT_FOUND.code(), admin.removeRaftVoter(9, Duration.ofSeconds(20))
                .get(30, TimeUnit.SECONDS).getErrorCode());
        assertEquals(List.of(1, 2, 3, 4), voterIds(admin.describeQuorum().get(30, TimeUnit.SECONDS)));

        long middle = writeTopics(writer, "middle-", 20);
        assertSameImage(middle, 0, 1, 2, 3);

        // remove an original voter that is not the leader; the quorum keeps serving
        int lead = leader();
        int removed = lead == 0 ? 1 : 0;
        RaftVoterChangeResponse gone = admin.removeRaftVoter(removed + 1, Duration.ofSeconds(45))
                .get(60, TimeUnit.SECONDS);
        assertEquals(0, gone.getErrorCode(), gone.getErrorMessage());
        List<Integer> remaining = new ArrayList<>(List.of(1, 2, 3, 4));
        remaining.remove(Integer.valueOf(removed + 1));
        assertEquals(remaining, voterIds(admin.describeQuorum().get(30, TimeUnit.SECONDS)));
        QuorumClient after = new QuorumClient(QuorumNode.group(clusterId, remaining.stream()
                .map(id -> new QuorumVoter(id, "127.0.0.1", ports.get(id - 1))).toList()));
        toClose.add(after);
        long last = writeTopics(after, "after-", 20);
        int[] members = remaining.stream().mapToInt(id -> id - 1).toArray();
        assertSameImage(last, members);
        assertEquals(60, nodes[members[0]].stateMachine().image().topicsByName().size());
        // the removed voter keeps following as a non-voting listener (an observer in DescribeQuorum)
        assertSameImage(last, members[0], removed);
        assertTrue(admin.describeQuorum().get(30, TimeUnit.SECONDS).observers().stream()
                .anyMatch(o -> o.replicaId() == removed + 1));

        // it can be added back, and removed again
        RaftVoterChangeResponse back = admin.addRaftVoter(removed + 1, "127.0.0.1", ports.get(removed),
                Duration.ofSeconds(45)).get(60, TimeUnit.SECONDS);
        assertEquals(0, back.getErrorCode(), back.getErrorMessage());
        assertEquals(List.of(1, 2, 3, 4), voterIds(admin.describeQuorum().get(30, TimeUnit.SECONDS)));
        long again = writeTopics(after, "again-", 5);
        assertSameImage(again, 0, 1, 2, 3);
        RaftVoterChangeResponse goneAgain = admin.removeRaftVoter(removed + 1, Duration.ofSeconds(45))
                .get(60, TimeUnit.SECONDS);
        assertEquals(0, goneAgain.getErrorCode(), goneAgain.getErrorMessage());
        assertEquals(remaining, voterIds(admin.describeQuorum().get(30, TimeUnit.SECONDS)));
        // restarted with its original configuration, the removed node recovers as a listener and follows again
        nodes[removed].close();
        nodes[removed] = QuorumNode.start(TestSupport.config(removed + 1, voters, dir.resolve("node-" + (removed + 1)),
                null), 8);
        long restarted = writeTopics(after, "restarted-", 3);
        assertSameImage(restarted, members[0], removed);
        assertEquals(remaining, voterIds(admin.describeQuorum().get(30, TimeUnit.SECONDS)));
        assertEquals(org.apache.ratis.proto.RaftProtos.RaftPeerRole.LISTENER, nodes[removed].info().getCurrentRole());

        // with one remaining voter stopped, removing another would leave no live majority: refused
        lead = leader();
        int stopped = -1;
        int victim = -1;
        for (int m : members) {
            if (m != lead) {
                if (stopped < 0) {
                    stopped = m;
                } else {
                    victim = m;
                }
            }
        }
        nodes[stopped].close();
        nodes[stopped] = null;
        nodes[removed].close(); // not a voter: irrelevant to the majority, stopped to keep the check simple
        nodes[removed] = null;
        Thread.sleep(4_000); // longer than VoterChanges' liveness window
        RaftVoterChangeResponse refused = admin.removeRaftVoter(victim + 1, Duration.ofSeconds(20))
                .get(30, TimeUnit.SECONDS);
        assertEquals(ErrorCode.INVALID_REQUEST.code(), refused.getErrorCode());
        assertTrue(refused.getErrorMessage().contains("live"), refused.getErrorMessage());
        assertEquals(remaining, voterIds(admin.describeQuorum().get(30, TimeUnit.SECONDS)));
        long still = writeTopics(after, "still-", 3);
        assertSameImage(still, lead, victim);
    }

    @Test
    void theLastVoterIsNeverRemovedAndANonVoterWithoutBootstrapServersIsRefused() throws Exception {
        List<Integer> ports = TestSupport.freePorts(1);
        String voters = TestSupport.voters(ports);
        nodes[0] = QuorumNode.start(TestSupport.config(1, voters, dir.resolve("node-1"), null));
        leader();
        ControllerClient admin = new ControllerClient(nodes[0].group(), Duration.ofSeconds(20));
        toClose.add(admin);
        RaftVoterChangeResponse r = admin.removeRaftVoter(1, Duration.ofSeconds(10)).get(30, TimeUnit.SECONDS);
        assertEquals(ErrorCode.INVALID_REQUEST.code(), r.getErrorCode());
        assertTrue(r.getErrorMessage().contains("last voter"), r.getErrorMessage());
        assertEquals(List.of(1), voterIds(admin.describeQuorum().get(30, TimeUnit.SECONDS)));

        // nothing runs at the new voter's address: the change times out and the voter set stays
        long t0 = System.nanoTime();
        RaftVoterChangeResponse absent = admin.addRaftVoter(2, "127.0.0.1", TestSupport.freePorts(1).get(0),
                Duration.ofSeconds(8)).get(30, TimeUnit.SECONDS);
        assertEquals(ErrorCode.REQUEST_TIMED_OUT.code(), absent.getErrorCode(), absent.getErrorMessage());
        System.out.println("AddRaftVoter of an absent node: " + absent.getErrorMessage() + " after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
        assertEquals(List.of(1), voterIds(admin.describeQuorum().get(30, TimeUnit.SECONDS)));
        await("the failed change to end", WAIT, () -> {
            try {
                return admin.removeRaftVoter(7, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS).getErrorCode()
                        == ErrorCode.VOTER_NOT_FOUND.code();
            } catch (Exception ex) {
                return false;
            }
        });

        ConfigException e = assertThrows(ConfigException.class, () -> QuorumNode.start(TestSupport.config(2, voters,
                dir.resolve("node-2"), null)));
        assertTrue(e.getMessage().contains(QuorumConfig.BOOTSTRAP_SERVERS_KEY), e.getMessage());
        assertFalse(dir.resolve("node-2").resolve(QuorumNode.RATIS_DIR).toFile().exists());
    }

    @Test
    void theLeaderStoppingDuringAnAddLeavesOneConsistentVoterSetAndTheQuorumServes() throws Exception {
        List<Integer> ports = TestSupport.freePorts(4);
        String voters = TestSupport.voters(ports.subList(0, 3));
        for (int i = 0; i < 3; i++) {
            nodes[i] = QuorumNode.start(TestSupport.config(i + 1, voters, dir.resolve("node-" + (i + 1)), null), 8);
        }
        int lead = leader();
        String clusterId = nodes[0].clusterId();
        QuorumClient writer = new QuorumClient(nodes[0].group());
        toClose.add(writer);
        long before = writeTopics(writer, "before-", 30);
        nodes[3] = QuorumNode.start(joiner(4, ports.get(3), ports.subList(0, 3), dir.resolve("node-4"), clusterId));
        ControllerClient admin = new ControllerClient(nodes[0].group(), Duration.ofSeconds(30));
        toClose.add(admin);

        // the leader goes away while the change is in flight (before or after it committed)
        var inFlight = admin.addRaftVoter(4, "127.0.0.1", ports.get(3), Duration.ofSeconds(20));
        nodes[lead].close();
        nodes[lead] = null;
        try {
            inFlight.get(40, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            // NOT_CONTROLLER / REQUEST_TIMED_OUT: the outcome is read back below
        }
        leader();
        // whatever happened, retrying converges: success, or DUPLICATE_VOTER when the first attempt had committed
        await("node 4 is a voter", WAIT, () -> {
            try {
                RaftVoterChangeResponse r = admin.addRaftVoter(4, "127.0.0.1", ports.get(3), Duration.ofSeconds(20))
                        .get(30, TimeUnit.SECONDS);
                return r.getErrorCode() == 0 || r.getErrorCode() == ErrorCode.DUPLICATE_VOTER.code();
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(List.of(1, 2, 3, 4), voterIds(admin.describeQuorum().get(30, TimeUnit.SECONDS)));

        // the stopped old leader is removed (not live: it leaves the group); three live voters keep serving
        RaftVoterChangeResponse gone = admin.removeRaftVoter(lead + 1, Duration.ofSeconds(30))
                .get(40, TimeUnit.SECONDS);
        assertEquals(0, gone.getErrorCode(), gone.getErrorMessage());
        List<Integer> remaining = new ArrayList<>(List.of(1, 2, 3, 4));
        remaining.remove(Integer.valueOf(lead + 1));
        QuorumInfo info = admin.describeQuorum().get(30, TimeUnit.SECONDS);
        assertEquals(remaining, voterIds(info));
        assertFalse(info.voterAddresses().containsKey(lead + 1));
        QuorumClient after = new QuorumClient(QuorumNode.group(clusterId, remaining.stream()
                .map(id -> new QuorumVoter(id, "127.0.0.1", ports.get(id - 1))).toList()));
        toClose.add(after);
        long last = writeTopics(after, "after-", 10);
        assertSameImage(last, remaining.stream().mapToInt(id -> id - 1).toArray());
        assertTrue(last > before);
        assertEquals(40, nodes[3].stateMachine().image().topicsByName().size());

        // the whole quorum restarts, the joined node first: no bootstrap server answers, so its voters come from
        // its own log; the others recover the changed voter set from theirs
        for (int id : remaining) {
            nodes[id - 1].close();
            nodes[id - 1] = null;
        }
        nodes[3] = QuorumNode.start(joiner(4, ports.get(3), ports.subList(0, 3), dir.resolve("node-4"), clusterId));
        assertEquals(remaining, nodes[3].config().voters().stream().map(QuorumVoter::id).toList());
        for (int id : remaining) {
            if (id != 4) {
                nodes[id - 1] = QuorumNode.start(TestSupport.config(id, voters, dir.resolve("node-" + id), null), 8);
            }
        }
        leader();
        long restarted = writeTopics(after, "restarted-", 3);
        assertSameImage(restarted, remaining.stream().mapToInt(id -> id - 1).toArray());
        assertEquals(remaining, voterIds(admin.describeQuorum().get(30, TimeUnit.SECONDS)));
    }

    @Test
    void aClientFollowsANewVoterThatLeadsAndTheLeaderCanRemoveItself() throws Exception {
        List<Integer> ports = TestSupport.freePorts(4);
        String voters = TestSupport.voters(ports.subList(0, 3));
        for (int i = 0; i < 3; i++) {
            nodes[i] = QuorumNode.start(TestSupport.config(i + 1, voters, dir.resolve("node-" + (i + 1)), null), 8);
        }
        leader();
        String clusterId = nodes[0].clusterId();
        nodes[3] = QuorumNode.start(joiner(4, ports.get(3), ports.subList(0, 1), dir.resolve("node-4"), clusterId));
        ControllerClient admin = new ControllerClient(nodes[0].group(), Duration.ofSeconds(30)); // knows 1..3 only
        toClose.add(admin);
        assertEquals(0, admin.addRaftVoter(4, "127.0.0.1", ports.get(3), Duration.ofSeconds(30))
                .get(40, TimeUnit.SECONDS).getErrorCode());
        try (org.apache.ratis.client.RaftClient raft = org.apache.ratis.client.RaftClient.newBuilder()
                .setRaftGroup(QuorumNode.group(clusterId, nodes[3].config().withVoters(List.of(
                        new QuorumVoter(1, "127.0.0.1", ports.get(0)), new QuorumVoter(2, "127.0.0.1", ports.get(1)),
                        new QuorumVoter(3, "127.0.0.1", ports.get(2)), new QuorumVoter(4, "127.0.0.1",
                                ports.get(3)))).voters()))
                .setProperties(RatisSettings.client()).setRetryPolicy(RatisSettings.clientRetryPolicy()).build()) {
            raft.admin().transferLeadership(QuorumNode.peerId(4), 10_000);
        }
        await("node 4 leads", WAIT, () -> nodes[3].isLeaderReady());
        // the client was built with voters 1..3: it learns node 4's address from their NOT_CONTROLLER hint
        QuorumInfo led = admin.describeQuorum().get(30, TimeUnit.SECONDS);
        assertEquals(4, led.leaderId());
        assertEquals(List.of(1, 2, 3, 4), voterIds(led));

        // the leader removes itself: the change commits, leadership moves to one of 1..3
        RaftVoterChangeResponse self = admin.removeRaftVoter(4, Duration.ofSeconds(30)).get(40, TimeUnit.SECONDS);
        assertEquals(0, self.getErrorCode(), self.getErrorMessage());
        await("a leader among nodes 1..3", WAIT, () -> nodes[0].isLeaderReady() || nodes[1].isLeaderReady()
                || nodes[2].isLeaderReady());
        await("node 4 no longer leads", WAIT, () -> !nodes[3].isLeaderReady());
        await("voters 1..3", WAIT, () -> {
            try {
                return voterIds(admin.describeQuorum().get(10, TimeUnit.SECONDS)).equals(List.of(1, 2, 3));
            } catch (Exception e) {
                return false;
            }
        });
        QuorumClient writer = new QuorumClient(nodes[0].group());
        toClose.add(writer);
        long last = writeTopics(writer, "after-", 5);
        assertSameImage(last, 0, 1, 2);
    }
}
