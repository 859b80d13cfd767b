package io.runnel.cli.quorum;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The table of {@code runnel metadata-quorum describe --replication}, in the layout of Apache Kafka 4.x's {@code
 * kafka-metadata-quorum.sh describe --replication}: columns {@code NodeId DirectoryId LogEndOffset Lag
 * LastFetchTimestamp LastCaughtUpTimestamp Status}, each cell padded to its column's widest value and followed by a
 * tab; one row for the leader ({@code Leader}), then the other voters ({@code Follower}), then the observers ({@code
 * Observer}). {@code Lag} is the leader's log end offset minus the replica's; unknown timestamps print as -1, and
 * with {@code --human-readable} known ones print as {@code <n> ms ago}.
 */
final class QuorumReplicationFormat {
    static final List<String> HEADERS = List.of("NodeId", "DirectoryId", "LogEndOffset", "Lag", "LastFetchTimestamp",
            "LastCaughtUpTimestamp", "Status");

    private QuorumReplicationFormat() {
    }

    /**
     * @param humanReadable print timestamps relative to {@code nowMs}
     * @param nowMs         the current time, epoch ms
     * @return the header line and one line per replica
     * @throws IllegalStateException when the leader is not among the voters, or (human-readable) a timestamp is not
     *                               between the epoch and now (clock drift), naming both times
     */
    static List<String> lines(QuorumDescription quorum, boolean humanReadable, long nowMs) {
        QuorumDescription.Replica leader = quorum.leader();
        List<List<String>> rows = new ArrayList<>();
        rows.add(row(leader, leader, "Leader", humanReadable, nowMs));
        for (QuorumDescription.Replica v : quorum.voters()) {
            if (v.id() != leader.id()) {
                rows.add(row(leader, v, "Follower", humanReadable, nowMs));
            }
        }
        for (QuorumDescription.Replica o : quorum.observers()) {
            rows.add(row(leader, o, "Observer", humanReadable, nowMs));
        }
        int[] widths = new int[HEADERS.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = HEADERS.get(i).length();
            for (List<String> r : rows) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        List<String> out = new ArrayList<>();
        out.add(render(HEADERS, widths));
        rows.forEach(r -> out.add(render(r, widths)));
        return out;
    }

    private static List<String> row(QuorumDescription.Replica leader, QuorumDescription.Replica r, String status,
                                    boolean humanReadable, long nowMs) {
        return List.of(String.valueOf(r.id()), r.directoryId(), String.valueOf(r.logEndOffset()),
                String.valueOf(leader.logEndOffset() - r.logEndOffset()),
                timestamp(r.lastFetchTimestamp(), "last fetch", humanReadable, nowMs),
                timestamp(r.lastCaughtUpTimestamp(), "last caught up", humanReadable, nowMs), status);
    }

    private static String timestamp(OptionalLong ts, String what, boolean humanReadable, long nowMs) {
        if (ts.isEmpty()) {
            return "-1";
        }
        long ms = ts.getAsLong();
        if (!humanReadable) {
            return String.valueOf(ms);
        }
        if (ms <= 0 || ms > nowMs) {
            throw new IllegalStateException("Error while computing relative time, possible drift in system clock: "
                    + "current timestamp is " + nowMs + " (" + Instant.ofEpochMilli(nowMs) + "), " + what
                    + " timestamp is " + ms);
        }
        return (nowMs - ms) + " ms ago";
    }

    private static String render(List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            b.append(c).append(" ".repeat(widths[i] - c.length())).append('\t');
        }
        return b.toString();
    }
}
