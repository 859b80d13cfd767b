package io.runnel.metadata.quorum;

import io.runnel.metadata.quorum.QuorumInfo.ReplicaState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * Builds {@link QuorumInfo} from a Ratis leader's division: the leader's term and commit index, and per follower
 * (voter or listener) its match index and the elapsed time since its last append response ({@code RoleInfoProto}'s
 * leader info lists followers in the same order as {@link DivisionInfo#getFollowerMatchIndices()}). Ratis keeps no
 * "last caught up" time, so this object remembers, per replica, the last time it was seen holding the whole
 * committed log. Thread-safe.
 */
public final class QuorumIntrospection {
    /**
     * A broker outside the voter set, as the active controller's heartbeats see it: the metadata offset it last
     * reported, when, and whether that offset was the newest metadata entry.
     */
    public record Observer(int nodeId, long metadataOffset, long lastContactMs, boolean caughtUp) {
    }

    private final LongSupplier wallClockMs;
    private final Map<Integer, Long> lastCaughtUp = new ConcurrentHashMap<>();

    public QuorumIntrospection(LongSupplier wallClockMs) {
        this.wallClockMs = wallClockMs;
    }

    /** The quorum seen from {@code division}, or null when it is not the leader. */
    public QuorumInfo describe(RaftServer.Division division, List<Observer> brokers) {
        DivisionInfo info = division.getInfo();
        RoleInfoProto role = info.getRoleInfoProto();
        long[] match = info.getFollowerMatchIndices();
        if (!info.isLeader() || !role.hasLeaderInfo() || match == null) {
            return null;
        }
        long now = wallClockMs.getAsLong();
        TermIndex last = division.getRaftLog().getLastEntryTermIndex();
        long leaderEnd = last == null ? -1 : last.getIndex();
        long commit = division.getRaftLog().getLastCommittedIndex();
        int leaderId = Integer.parseInt(division.getId().toString());
        Set<Integer> voterIds = new HashSet<>();
        division.getRaftConf().getCurrentPeers(RaftPeerRole.FOLLOWER)
                .forEach(p -> voterIds.add(Integer.parseInt(p.getId().toString())));
        voterIds.add(leaderId);
        List<ReplicaState> voters = new ArrayList<>();
        List<ReplicaState> observers = new ArrayList<>();
        voters.add(state(leaderId, leaderEnd, now, leaderEnd, commit));
        List<ServerRpcProto> followers = role.getLeaderInfo().getFollowerInfoList();
        for (int i = 0; i < followers.size() && i < match.length; i++) {
            int id = Integer.parseInt(followers.get(i).getId().getId().toStringUtf8());
            long fetched = now - followers.get(i).getLastRpcElapsedTimeMs();
            ReplicaState s = state(id, match[i], fetched, leaderEnd, commit);
            (voterIds.contains(id) ? voters : observers).add(s);
        }
        Set<Integer> listed = new HashSet<>();
        voters.forEach(v -> listed.add(v.replicaId()));
        observers.forEach(o -> listed.add(o.replicaId()));
        for (Observer b : brokers) {
            if (listed.add(b.nodeId())) {
                if (b.caughtUp()) {
                    lastCaughtUp.put(b.nodeId(), b.lastContactMs());
                }
                observers.add(new ReplicaState(b.nodeId(), b.metadataOffset(), b.lastContactMs(),
                        lastCaughtUp.getOrDefault(b.nodeId(), -1L), QuorumInfo.lag(leaderEnd, b.metadataOffset())));
            }
        }
        voters.sort(Comparator.comparingInt(ReplicaState::replicaId));
        observers.sort(Comparator.comparingInt(ReplicaState::replicaId));
        Map<Integer, String> addresses = new java.util.HashMap<>();
        division.getRaftConf().getCurrentPeers(RaftPeerRole.FOLLOWER)
                .forEach(p -> addresses.put(Integer.parseInt(p.getId().toString()), p.getAddress()));
        return new QuorumInfo(leaderId, info.getCurrentTerm(), commit, voters, observers, addresses);
    }

    private ReplicaState state(int id, long end, long fetchedMs, long leaderEnd, long commit) {
        if (end >= commit && fetchedMs >= 0) {
            lastCaughtUp.put(id, fetchedMs);
        }
        return new ReplicaState(id, end, fetchedMs, lastCaughtUp.getOrDefault(id, -1L), QuorumInfo.lag(leaderEnd,
                end));
    }
}
