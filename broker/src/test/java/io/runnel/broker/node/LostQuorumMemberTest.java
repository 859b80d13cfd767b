package io.runnel.broker.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.broker.testing.NodeCluster;
import io.runnel.broker.testing.QuorumBroker;
import io.runnel.metadata.quorum.QuorumNode;
import io.runnel.metadata.quorum.RatisSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.retry.RetryPolicies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A combined node whose metadata quorum member closes while the node runs keeps serving current metadata: its broker
 * switches to fetching the metadata log from the active controller ({@link CombinedMetadataSource}). The member is
 * closed with Ratis' own group-management API (a "group remove" that keeps the storage), which leaves the node where
 * Ratis leaves a removed voter that it shut down after an election: the division closed, nothing more applied.
 * Without the switch node 3 would never learn of topic {@code after}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LostQuorumMemberTest {
    @TempDir
    Path dir;
    private NodeCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aBrokerWhoseQuorumMemberClosedFollowsTheActiveController() throws Exception {
        cluster = NodeCluster.start(dir, 3, Map.of());
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("before", 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
            QuorumBroker.await("node 3 serves topic before",
                    () -> cluster.image(3).topicsByName().containsKey("before"));
            CombinedMetadataSource source = (CombinedMetadataSource) cluster.node(3).metadata();
            assertFalse(source.followsControllers());

            closeQuorumMember(3);
            QuorumBroker.await("node 3's broker to follow the controllers", source::followsControllers);
            long lostAt = source.appliedOffset();

            admin.createTopics(List.of(new NewTopic("after", 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
            QuorumBroker.await("node 3 serves topic after, and its image is node 1's", () ->
                    cluster.node(3).servedImage().topicsByName().containsKey("after")
                            && cluster.image(3).digest().equals(cluster.image(1).digest()));
            assertTrue(source.appliedOffset() > lostAt, "applied offset " + source.appliedOffset()
                    + " after losing the member at " + lostAt);
            // node 3's own member applied nothing more: its state machine still lacks the topic
            assertFalse(cluster.node(3).controller().stateMachine().image().topicsByName().containsKey("after"));
            assertEquals(3, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
        }
    }

    /** Ratis' group-management "remove" of the metadata group on node {@code id}, keeping its directory. */
    private void closeQuorumMember(int id) throws Exception {
        QuorumNode member = cluster.node(id).controller();
        RaftGroup group = member.group();
        try (RaftClient client = RaftClient.newBuilder().setRaftGroup(group).setProperties(RatisSettings.client())
                .setRetryPolicy(RetryPolicies.noRetry()).build()) {
            RaftClientReply reply = client.getGroupManagementApi(QuorumNode.peerId(id))
                    .remove(group.getGroupId(), false, false);
            assertTrue(reply.isSuccess(), "group remove on node " + id + ": " + reply);
        }
    }
}
