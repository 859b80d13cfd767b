package io.runnel.broker.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.broker.config.ServerConfig;
import io.runnel.broker.testing.NodeCluster;
import io.runnel.broker.testing.Ports;
import io.runnel.broker.testing.QuorumBroker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.RaftVoterEndpoint;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.DuplicateVoterException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.VoterNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * KIP-853 end to end, in this JVM, with kafka-clients' Admin against the brokers of a three-node cluster (combined
 * nodes): a fourth, controller-only node starts with {@code controller.quorum.bootstrap.servers}, {@code
 * Admin.addRaftVoter} (AddRaftVoter 80, forwarded by a broker to the active controller) makes it a voter, topics are
 * created, {@code Admin.removeRaftVoter} removes an original voter, and the quorum keeps serving with every node's
 * image equal; refusals change nothing.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ControllerMembershipTest {
    @TempDir
    Path dir;
    private NodeCluster cluster;
    private RunnelNode joiner;

    @AfterEach
    void stop() throws Exception {
        if (joiner != null) {
            joiner.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<Integer> voters(Admin admin) throws Exception {
        return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).voters().stream()
                .map(QuorumInfo.ReplicaState::replicaId).sorted().toList();
    }

    /** The topics a broker lists; none when the call fails. */
    private static Set<String> topics(Admin admin) {
        try {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return Set.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        }
    }

    private Map<String, String> joinerConfig(int port, String clusterId) {
        Map<String, String> m = new HashMap<>();
        m.put("process.roles", "controller");
        m.put("node.id", "4");
        String voters = cluster.config(1).get("controller.quorum.voters");
        m.put("controller.quorum.bootstrap.servers", String.join(",", List.of(voters.split(",")).stream()
                .map(v -> v.substring(v.indexOf('@') + 1)).toList()));
        m.put("listeners", "CONTROLLER://127.0.0.1:" + port);
        m.put("controller.listener.names", "CONTROLLER");
        m.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT");
        m.put("log.dirs", dir.resolve("node-4").toString());
        if (clusterId != null) {
            m.put("cluster.id", clusterId);
        }
        return m;
    }

    @Test
    void aControllerJoinsThroughAdminAndAnOriginalVoterLeavesWhileTheClusterServes() throws Exception {
        cluster = NodeCluster.start(dir, 3, Map.of());
        String clusterId = cluster.node(1).controller().clusterId();
        int port = Ports.free(1).get(0);
        RuntimeException noId = assertThrows(io.runnel.metadata.quorum.ConfigException.class, () -> RunnelNode.start(
                ServerConfig.of(joinerConfig(port, null))));
        assertTrue(noId.getMessage().contains("cluster.id"), noId.getMessage());
        joiner = RunnelNode.start(ServerConfig.of(joinerConfig(port, clusterId)));

        try (Admin admin = cluster.admin()) {
            assertEquals(List.of(1, 2, 3), voters(admin));
            admin.createTopics(List.of(new NewTopic("before", 3, (short) 3))).all().get(30, TimeUnit.SECONDS);

            admin.addRaftVoter(4, Uuid.ZERO_UUID, Set.of(new RaftVoterEndpoint("CONTROLLER", "127.0.0.1", port)))
                    .all().get(60, TimeUnit.SECONDS);
            assertEquals(List.of(1, 2, 3, 4), voters(admin));
            QuorumInfo info = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS);
            assertEquals("CONTROLLER://127.0.0.1:" + port, info.nodes().get(4).endpoints().get(0).toString());

            // refusals change nothing
            ExecutionException dup = assertThrows(ExecutionException.class, () -> admin.addRaftVoter(2,
                    Uuid.ZERO_UUID, Set.of(new RaftVoterEndpoint("CONTROLLER", "127.0.0.1", port))).all()
                    .get(30, TimeUnit.SECONDS));
            assertInstanceOf(DuplicateVoterException.class, dup.getCause());
            ExecutionException unknown = assertThrows(ExecutionException.class, () -> admin.removeRaftVoter(9,
                    Uuid.ZERO_UUID).all().get(30, TimeUnit.SECONDS));
            assertInstanceOf(VoterNotFoundException.class, unknown.getCause());
            ExecutionException dirId = assertThrows(ExecutionException.class, () -> admin.addRaftVoter(5,
                    Uuid.randomUuid(), Set.of(new RaftVoterEndpoint("CONTROLLER", "127.0.0.1", port))).all()
                    .get(30, TimeUnit.SECONDS));
            assertInstanceOf(InvalidRequestException.class, dirId.getCause());
            assertEquals(List.of(1, 2, 3, 4), voters(admin));

            admin.createTopics(List.of(new NewTopic("middle", 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
            int leader = info.leaderId();
            int removed = leader == 1 ? 2 : 1;
            admin.removeRaftVoter(removed, Uuid.ZERO_UUID).all().get(60, TimeUnit.SECONDS);
            List<Integer> remaining = new java.util.ArrayList<>(List.of(1, 2, 3, 4));
            remaining.remove(Integer.valueOf(removed));
            assertEquals(remaining, voters(admin));

            admin.createTopics(List.of(new NewTopic("after", 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
            // the broker answering may apply the new topic a moment after the controller committed it
            QuorumBroker.await("every topic listed", () -> topics(admin).equals(Set.of("before", "middle", "after")));
        }
        // every node's image agrees: the three combined nodes (the removed one follows as a Ratis listener, or, when
        // Ratis closed its member, by fetching from the active controller) and node 4
        QuorumBroker.await("every image equal", () -> {
            String d = joiner.controller().stateMachine().image().digest();
            for (int id = 1; id <= 3; id++) {
                if (!d.equals(cluster.image(id).digest())) {
                    return false;
                }
            }
            return joiner.controller().stateMachine().image().topicsByName().containsKey("after");
        });
    }
}
