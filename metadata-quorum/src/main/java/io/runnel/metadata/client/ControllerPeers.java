package io.runnel.metadata.client;

import io.runnel.metadata.quorum.QuorumNode;
import io.runnel.metadata.quorum.RatisSettings;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

/**
 * The controllers a {@link ControllerClient} can address, and its Ratis clients: the voters it was built with, plus
 * any leader it learns from a NOT_CONTROLLER hint (a voter added later by AddRaftVoter, KIP-853). Two Ratis clients
 * share the peers: one whose requests Ratis bounds by {@code attemptMs} (every call but quorum changes), and one,
 * created on first use, bounded by {@value #LONG_CALL_MAX_MS} ms for quorum changes (their calls end earlier, at
 * their own timeout). Thread-safe.
 */
final class ControllerPeers implements AutoCloseable {
    /** Ratis' per-request bound for quorum changes, ms. */
    static final long LONG_CALL_MAX_MS = 600_000;

    private final RaftGroup group;
    private final RaftClient raft;
    private final List<RaftPeerId> ids;
    private final List<RaftPeer> learned = new CopyOnWriteArrayList<>();
    private volatile RaftClient longCalls;

    ControllerPeers(RaftGroup group, long attemptMs) {
        this.group = group;
        this.ids = new CopyOnWriteArrayList<>(group.getPeers().stream().map(RaftPeer::getId).toList());
        this.raft = client(attemptMs);
    }

    private RaftClient client(long requestTimeoutMs) {
        RaftProperties p = RatisSettings.client();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(requestTimeoutMs, TimeUnit.MILLISECONDS));
        return RaftClient.newBuilder().setRaftGroup(group).setProperties(p).setRetryPolicy(RetryPolicies.noRetry())
                .build();
    }

    /** The client of ordinary calls. */
    RaftClient raft() {
        return raft;
    }

    /** The client of quorum changes, whose single attempt may be long. */
    synchronized RaftClient longCalls() {
        if (longCalls == null) {
            RaftClient c = client(LONG_CALL_MAX_MS);
            if (!learned.isEmpty()) {
                c.getClientRpc().addRaftPeers(learned);
            }
            longCalls = c;
        }
        return longCalls;
    }

    /** Every controller id known, in order (the built-with voters first). */
    List<RaftPeerId> ids() {
        return ids;
    }

    boolean knows(RaftPeerId id) {
        return ids.contains(id);
    }

    /** Learns controller {@code id} at {@code address} (host:port) unless already known or the address is empty. */
    synchronized void learn(int id, String address) {
        RaftPeerId peerId = QuorumNode.peerId(id);
        if (ids.contains(peerId) || address == null || address.isEmpty()) {
            return;
        }
        RaftPeer peer = RaftPeer.newBuilder().setId(peerId).setAddress(address).build();
        raft.getClientRpc().addRaftPeers(List.of(peer));
        if (longCalls != null) {
            longCalls.getClientRpc().addRaftPeers(List.of(peer));
        }
        learned.add(peer);
        ids.add(peerId);
    }

    @Override
    public void close() throws IOException {
        raft.close();
        RaftClient c;
        synchronized (this) {
            c = longCalls;
        }
        if (c != null) {
            c.close();
        }
    }
}
