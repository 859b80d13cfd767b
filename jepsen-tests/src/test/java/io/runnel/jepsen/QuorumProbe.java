package io.runnel.jepsen;

import io.runnel.metadata.quorum.MetaProperties;
import io.runnel.metadata.quorum.QuorumConfig;
import io.runnel.metadata.quorum.QuorumNode;
import io.runnel.metadata.quorum.QuorumVoter;
import io.runnel.metadata.quorum.RatisSettings;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.retry.RetryPolicies;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Looks at a running quorum from outside, the way an operator's tool would: asks each voter's Ratis server for its
 * group info (role, term, commit index). A voter that is down or paused simply does not answer.
 */
final class QuorumProbe implements AutoCloseable {
    /** A voter's own view. */
    record View(int nodeId, boolean leader, long term, long commitIndex) {
    }

    private final RaftGroup group;
    private final List<QuorumVoter> voters;
    private final RaftClient client;

    /** @param anyDataDir the metadata log dir of any node, for the cluster id in its meta.properties */
    QuorumProbe(String votersConfig, Path anyDataDir) throws IOException {
        this.voters = QuorumConfig.parseVoters(votersConfig);
        String clusterId = MetaProperties.read(anyDataDir).clusterId();
        this.group = QuorumNode.group(clusterId, voters);
        this.client = RaftClient.newBuilder().setRaftGroup(group).setProperties(RatisSettings.client())
                .setRetryPolicy(RetryPolicies.noRetry()).build();
    }

    /** The voter's view, or null when it does not answer. */
    View view(int nodeId) {
        try {
            GroupInfoReply info = client.getGroupManagementApi(QuorumNode.peerId(nodeId)).info(group.getGroupId());
            RaftProtos.RoleInfoProto role = info.getRoleInfoProto();
            boolean leader = role.getRole() == RaftProtos.RaftPeerRole.LEADER;
            long term = leader ? role.getLeaderInfo().getTerm() : -1;
            long commit = info.getCommitInfos().stream()
                    .filter(c -> c.getServer().getId().toStringUtf8().equals(Integer.toString(nodeId)))
                    .mapToLong(RaftProtos.CommitInfoProto::getCommitIndex).max().orElse(-1);
            return new View(nodeId, leader, term, commit);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The node that says it leads, or null when none does (if two claim it, the higher term wins). */
    View leader() {
        View best = null;
        for (QuorumVoter v : voters) {
            View view = view(v.id());
            if (view != null && view.leader() && (best == null || view.term() > best.term())) {
                best = view;
            }
        }
        return best;
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
