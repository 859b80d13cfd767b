package io.runnel.metadata.quorum;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

/**
 * How a joining controller learns the current voters (ids and addresses) from {@code
 * controller.quorum.bootstrap.servers}, which name addresses only (KIP-853): it asks each server in turn for its view
 * of the metadata group (Ratis' group info; a server answers for its group whatever peer id the request names) and
 * takes the voters of the first answer's configuration. Each server gets {@code perServerTimeoutMs}.
 */
public final class VoterDiscovery {
    /** The default wait for each bootstrap server's answer, ms. */
    public static final long DEFAULT_TIMEOUT_MS = 3_000;

    private VoterDiscovery() {
    }

    /**
     * @return the voters, sorted by id
     * @throws IOException naming every server's failure when none answered for {@code groupId}
     */
    public static List<QuorumVoter> discover(List<String> bootstrapServers, RaftGroupId groupId, long perServerTimeoutMs)
            throws IOException {
        StringBuilder failures = new StringBuilder();
        for (int i = 0; i < bootstrapServers.size(); i++) {
            RaftPeer peer = RaftPeer.newBuilder().setId(RaftPeerId.valueOf("bootstrap-" + i))
                    .setAddress(bootstrapServers.get(i)).build();
            var p = RatisSettings.client();
            org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(p,
                    TimeDuration.valueOf(perServerTimeoutMs, TimeUnit.MILLISECONDS));
            try (RaftClient client = RaftClient.newBuilder().setRaftGroup(RaftGroup.valueOf(groupId, peer))
                    .setProperties(p).setRetryPolicy(RetryPolicies.noRetry()).build()) {
                GroupInfoReply reply = client.getGroupManagementApi(peer.getId()).info(groupId);
                if (reply.isSuccess() && reply.getConf().isPresent()) {
                    List<QuorumVoter> voters = voters(reply.getConf().get());
                    if (!voters.isEmpty()) {
                        return voters;
                    }
                }
                failures.append("; ").append(bootstrapServers.get(i)).append(": ").append(
                        reply.getException() != null ? reply.getException().getMessage() : "no configuration");
            } catch (IOException | RuntimeException e) {
                failures.append("; ").append(bootstrapServers.get(i)).append(": ").append(e.getMessage());
            }
        }
        throw new IOException("No controller of " + QuorumConfig.BOOTSTRAP_SERVERS_KEY + " " + bootstrapServers
                + " answered for the metadata group " + groupId + " (wrong cluster.id?)" + failures);
    }

    private static List<QuorumVoter> voters(RaftConfigurationProto conf) {
        List<QuorumVoter> out = new ArrayList<>();
        for (RaftPeerProto p : conf.getPeersList()) {
            out.add(voter(p.getId().toStringUtf8(), p.getAddress()));
        }
        out.sort(Comparator.comparingInt(QuorumVoter::id));
        return out;
    }

    /** Ratis peers (id = node id in decimal, address host:port) as voters sorted by id. */
    static List<QuorumVoter> fromPeers(java.util.Collection<RaftPeer> peers) {
        List<QuorumVoter> out = new ArrayList<>();
        peers.forEach(p -> out.add(voter(p.getId().toString(), p.getAddress())));
        out.sort(Comparator.comparingInt(QuorumVoter::id));
        return out;
    }

    private static QuorumVoter voter(String id, String address) {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new QuorumVoter(Integer.parseInt(id), host, Integer.parseInt(address.substring(colon + 1)));
    }
}
