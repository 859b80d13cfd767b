package io.runnel.cli.quorum;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The lines of {@code runnel metadata-quorum describe --status}, in the layout of Apache Kafka 4.x's {@code
 * kafka-metadata-quorum.sh describe --status}: one {@code Label:} per line, values starting at column 25.
 *
 * <ul>
 *   <li>{@code MaxFollowerLag}: the leader's log end offset minus the smallest log end offset among the voters (the
 *       first such voter in the reported order is "the most lagging follower");</li>
 *   <li>{@code MaxFollowerLagTimeMs}: 0 when that voter is the leader itself, else the leader's last caught-up
 *       timestamp minus that voter's, or -1 when either is unknown;</li>
 *   <li>{@code CurrentVoters} / {@code CurrentObservers}: {@code [{"id": 1, "endpoints": ["CONTROLLER://h:9093"]},
 *       ...]}, with {@code "directoryId"} only when it is not the zero id and {@code "endpoints"} only when known.</li>
 * </ul>
 */
final class QuorumStatusFormat {
    /** Width of the label column, colon and padding included. */
    static final int LABEL_WIDTH = 24;
    /** Kafka's zero Uuid in its base64 form: a replica without a directory id. */
    static final String ZERO_DIRECTORY_ID = "AAAAAAAAAAAAAAAAAAAAAA";

    private QuorumStatusFormat() {
    }

    /**
     * @param clusterId the cluster id ({@code Admin.describeCluster()})
     * @param quorum    the quorum ({@code Admin.describeMetadataQuorum()})
     * @return the eight lines, {@code ClusterId:} to {@code CurrentObservers:}
     * @throws IllegalStateException when the reported leader is not among the voters
     */
    static List<String> lines(String clusterId, QuorumDescription quorum) {
        QuorumDescription.Replica leader = quorum.leader();
        QuorumDescription.Replica mostLagging = quorum.voters().stream()
                .min(Comparator.comparingLong(QuorumDescription.Replica::logEndOffset)).orElse(leader);
        long maxLag = leader.logEndOffset() - mostLagging.logEndOffset();
        long maxLagTimeMs;
        if (mostLagging.id() == leader.id()) {
            maxLagTimeMs = 0;
        } else if (leader.lastCaughtUpTimestamp().isPresent() && mostLagging.lastCaughtUpTimestamp().isPresent()) {
            maxLagTimeMs = leader.lastCaughtUpTimestamp().getAsLong() - mostLagging.lastCaughtUpTimestamp()
                    .getAsLong();
        } else {
            maxLagTimeMs = -1;
        }
        List<String> out = new ArrayList<>();
        out.add(line("ClusterId:", clusterId));
        out.add(line("LeaderId:", quorum.leaderId()));
        out.add(line("LeaderEpoch:", quorum.leaderEpoch()));
        out.add(line("HighWatermark:", quorum.highWatermark()));
        out.add(line("MaxFollowerLag:", maxLag));
        out.add(line("MaxFollowerLagTimeMs:", maxLagTimeMs));
        out.add(line("CurrentVoters:", replicas(quorum, quorum.voters())));
        out.add(line("CurrentObservers:", replicas(quorum, quorum.observers())));
        return out;
    }

    private static String line(String label, Object value) {
        return label + " ".repeat(Math.max(1, LABEL_WIDTH - label.length())) + value;
    }

    /** {@code [{"id": 1, "endpoints": ["CONTROLLER://localhost:9093"]}, {"id": 2}]}. */
    static String replicas(QuorumDescription quorum, List<QuorumDescription.Replica> replicas) {
        return replicas.stream().map(r -> {
            StringBuilder b = new StringBuilder("{\"id\": ").append(r.id());
            if (!ZERO_DIRECTORY_ID.equals(r.directoryId())) {
                b.append(", \"directoryId\": \"").append(r.directoryId()).append('"');
            }
            List<String> endpoints = quorum.endpoints().getOrDefault(r.id(), List.of());
            if (!endpoints.isEmpty()) {
                b.append(", \"endpoints\": [").append(endpoints.stream().map(e -> "\"" + e + "\"")
                        .collect(Collectors.joining(", "))).append(']');
            }
            return b.append('}').toString();
        }).collect(Collectors.joining(", ", "[", "]"));
    }
}
