package io.runnel.cli.quorum;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The metadata quorum as DescribeQuorum (API key 55; KIP-595, KIP-836, KIP-853) reports it, in the shape {@code
 * runnel metadata-quorum describe} prints: kafka-clients' {@code QuorumInfo} copied into plain records (whose
 * constructors tests can call). Offsets are the metadata log's (Runnel: Ratis indexes); timestamps epoch ms.
 *
 * @param leaderId      the leader's node id
 * @param leaderEpoch   the leader's epoch (Runnel: the Ratis term)
 * @param highWatermark the committed offset (Runnel: the Ratis commit index)
 * @param voters        the voters, leader included, in the order the broker reported them
 * @param observers     the non-voting replicas that fetch the log (brokers)
 * @param endpoints     node id to its controller endpoints, each {@code LISTENER://host:port} (DescribeQuorum v2)
 */
public record QuorumDescription(int leaderId, long leaderEpoch, long highWatermark, List<Replica> voters,
                                List<Replica> observers, Map<Integer, List<String>> endpoints) {
    public QuorumDescription {
        voters = List.copyOf(voters);
        observers = List.copyOf(observers);
        endpoints = Map.copyOf(endpoints);
    }

    /**
     * One replica of the metadata log.
     *
     * @param id                  node id
     * @param directoryId         its metadata log directory id in Kafka's base64 form ({@code
     *                            AAAAAAAAAAAAAAAAAAAAAA}, the zero id, when it has none, as with Runnel)
     * @param logEndOffset        the last offset it is known to hold
     * @param lastFetchTimestamp  when the leader last heard from it (epoch ms), empty if unknown
     * @param lastCaughtUpTimestamp when it last held everything the leader had (epoch ms), empty if unknown
     */
    public record Replica(int id, String directoryId, long logEndOffset, OptionalLong lastFetchTimestamp,
                          OptionalLong lastCaughtUpTimestamp) {
    }

    /** The leader among the voters. */
    public Replica leader() {
        return voters.stream().filter(v -> v.id() == leaderId).findFirst().orElseThrow(() ->
                new IllegalStateException("the quorum reports leader " + leaderId + ", which is not one of its voters "
                        + voters.stream().map(Replica::id).toList()));
    }
}
