package io.runnel.metadata.quorum;

import io.runnel.metadata.rpc.DescribeQuorumResponse;
import io.runnel.metadata.rpc.ReplicaStateProto;
import java.util.List;
import java.util.Map;

/**
 * The metadata quorum as its leader sees it: what DescribeQuorum (API key 55; KIP-595, KIP-836) reports and {@code
 * kafka-metadata-quorum.sh describe --status / --replication} prints. Offsets are Ratis log indexes: {@code
 * highWatermark} is the commit index, a replica's {@code logEndOffset} the last index it is known to hold (the
 * leader's own last index; a follower's match index; a broker's reported applied metadata offset). Timestamps are
 * epoch milliseconds, -1 when unknown. Immutable.
 *
 * @param leaderId    the Ratis leader's node id
 * @param leaderEpoch the Ratis term
 * @param voters      the voters, sorted by id, the leader included
 * @param observers   non-voting members (Ratis listeners) and registered brokers that are not voters, sorted by id
 * @param voterAddresses voter node id to its controller address {@code host:port}, from the current Ratis
 *                       configuration (it changes with AddRaftVoter / RemoveRaftVoter, KIP-853); may be empty
 */
public record QuorumInfo(int leaderId, long leaderEpoch, long highWatermark, List<ReplicaState> voters,
                         List<ReplicaState> observers, Map<Integer, String> voterAddresses) {
    public QuorumInfo {
        voters = List.copyOf(voters);
        observers = List.copyOf(observers);
        voterAddresses = Map.copyOf(voterAddresses);
    }

    /** Without voter addresses. */
    public QuorumInfo(int leaderId, long leaderEpoch, long highWatermark, List<ReplicaState> voters,
                      List<ReplicaState> observers) {
        this(leaderId, leaderEpoch, highWatermark, voters, observers, Map.of());
    }

    /**
     * One replica's replication state. {@code lag} = the leader's log end offset minus this replica's (0 for the
     * leader; as {@code kafka-metadata-quorum.sh} computes it).
     */
    public record ReplicaState(int replicaId, long logEndOffset, long lastFetchTimestampMs,
                               long lastCaughtUpTimestampMs, long lag) {
    }

    /** The largest lag of any voter ({@code MaxFollowerLag}). */
    public long maxFollowerLag() {
        return voters.stream().mapToLong(ReplicaState::lag).max().orElse(0);
    }

    public DescribeQuorumResponse toProto() {
        DescribeQuorumResponse.Builder b = DescribeQuorumResponse.newBuilder().setLeaderId(leaderId)
                .setLeaderEpoch(leaderEpoch).setHighWatermark(highWatermark);
        voters.forEach(v -> b.addVoters(toProto(v)));
        observers.forEach(o -> b.addObservers(toProto(o)));
        b.putAllVoterAddresses(voterAddresses);
        return b.build();
    }

    public static QuorumInfo fromProto(DescribeQuorumResponse r) {
        long leaderEnd = r.getVotersList().stream().filter(v -> v.getReplicaId() == r.getLeaderId())
                .mapToLong(ReplicaStateProto::getLogEndOffset).findFirst().orElse(r.getHighWatermark());
        return new QuorumInfo(r.getLeaderId(), r.getLeaderEpoch(), r.getHighWatermark(),
                r.getVotersList().stream().map(v -> fromProto(v, leaderEnd)).toList(),
                r.getObserversList().stream().map(v -> fromProto(v, leaderEnd)).toList(), r.getVoterAddressesMap());
    }

    private static ReplicaStateProto toProto(ReplicaState s) {
        return ReplicaStateProto.newBuilder().setReplicaId(s.replicaId()).setLogEndOffset(s.logEndOffset())
                .setLastFetchTimestamp(s.lastFetchTimestampMs()).setLastCaughtUpTimestamp(s.lastCaughtUpTimestampMs())
                .build();
    }

    private static ReplicaState fromProto(ReplicaStateProto p, long leaderEnd) {
        return new ReplicaState(p.getReplicaId(), p.getLogEndOffset(), p.getLastFetchTimestamp(),
                p.getLastCaughtUpTimestamp(), lag(leaderEnd, p.getLogEndOffset()));
    }

    static long lag(long leaderEnd, long end) {
        return end < 0 ? leaderEnd + 1 : Math.max(0, leaderEnd - end);
    }
}
