package io.runnel.metadata.active;

import io.runnel.metadata.quorum.QuorumIntrospection.Observer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The active controller's record of the brokers that fetch the metadata log: per node id, the offset of its last
 * fetch, when it arrived (epoch ms) and whether it held everything applied then. DescribeQuorum reports them as
 * observers (KIP-595), as Kafka's leader reports the replicas that fetch from it. Entries not refreshed for {@value
 * #EXPIRY_MS} ms are dropped, as Kafka drops observers that stopped fetching. Soft state, never logged. Thread-safe.
 */
final class ObserverFetches {
    /** How long an observer that stopped fetching is still reported, ms (Kafka's observer session: 5 minutes). */
    static final long EXPIRY_MS = 300_000;

    private final Map<Integer, Observer> fetches = new ConcurrentHashMap<>();

    /** A fetch from {@code nodeId} at {@code offset} arrived at {@code nowMs}. */
    void record(int nodeId, long offset, long nowMs, boolean caughtUp) {
        fetches.put(nodeId, new Observer(nodeId, offset, nowMs, caughtUp));
    }

    /** The observers outside {@code voters} that fetched within {@link #EXPIRY_MS}, sorted by id. */
    List<Observer> observers(Set<Integer> voters, long nowMs) {
        fetches.values().removeIf(o -> nowMs - o.lastContactMs() > EXPIRY_MS);
        List<Observer> out = new ArrayList<>();
        for (Observer o : fetches.values()) {
            if (!voters.contains(o.nodeId())) {
                out.add(o);
            }
        }
        out.sort(Comparator.comparingInt(Observer::nodeId));
        return out;
    }

    /**
     * One observer per node: of the fetch-based and heartbeat-based entries of a node, the one with the most recent
     * contact (a broker both fetches and heartbeats; a node that only heartbeats still shows up).
     */
    static List<Observer> merge(List<Observer> fetched, List<Observer> heartbeats) {
        Map<Integer, Observer> best = new java.util.TreeMap<>();
        for (List<Observer> list : List.of(fetched, heartbeats)) {
            for (Observer o : list) {
                best.merge(o.nodeId(), o, (a, b) -> b.lastContactMs() > a.lastContactMs() ? b : a);
            }
        }
        return new ArrayList<>(best.values());
    }
}
