package io.runnel.broker.replica;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A partition leader's view of its followers, updated by their fetches (Kafka's per-replica state on the leader):
 * each follower's log end offset (its fetch offset), its log start offset (Fetch {@code log_start_offset}, for the
 * DeleteRecords low watermark, KIP-107), and when it was last caught up. A follower is caught up at a
 * fetch whose offset reaches the leader's log end offset; one that reaches the leader's log end offset as of its
 * previous fetch was caught up at that previous fetch. A follower lags when it has not been caught up for
 * {@code replica.lag.time.max.ms}: the ISR shrink rule (DESIGN.md section 6). Thread-safe; each update is atomic
 * per follower.
 */
final class FollowerTracker {
    /** Unknown log end offset: the follower has not fetched in this leader epoch. */
    static final long UNKNOWN = -1L;

    /**
     * @param logEndOffset                the follower's log end offset (its last fetch offset), or {@link #UNKNOWN}
     * @param logStartOffset              the follower's log start offset from its last fetch, or {@link #UNKNOWN}
     * @param lastFetchTimeMs             when it last fetched
     * @param lastFetchLeaderLogEndOffset the leader's log end offset at that fetch
     * @param lastCaughtUpTimeMs          when it was last caught up
     */
    record FollowerState(long logEndOffset, long logStartOffset, long lastFetchTimeMs, long lastFetchLeaderLogEndOffset,
                         long lastCaughtUpTimeMs) {
    }

    private final Map<Integer, FollowerState> states = new ConcurrentHashMap<>();

    /**
     * Forgets every follower (a new leader epoch): each starts with an unknown log end offset, counted as caught up
     * at {@code nowMs} so that an ISR member gets {@code replica.lag.time.max.ms} to fetch before it is removed.
     */
    void reset(Collection<Integer> followers, long nowMs) {
        states.clear();
        for (int id : followers) {
            states.put(id, new FollowerState(UNKNOWN, UNKNOWN, nowMs, UNKNOWN, nowMs));
        }
    }

    /** Forgets every follower not in {@code replicas}. */
    void retain(Collection<Integer> replicas) {
        states.keySet().retainAll(replicas);
    }

    /**
     * Records a fetch at {@code fetchOffset} from a follower whose log starts at {@code logStartOffset} (-1 when the
     * request did not say) while the leader's log ends at {@code leaderLogEndOffset}.
     */
    void onFetch(int follower, long fetchOffset, long logStartOffset, long leaderLogEndOffset, long nowMs) {
        states.compute(follower, (id, prev) -> {
            long caughtUp;
            if (fetchOffset >= leaderLogEndOffset) {
                caughtUp = nowMs;
            } else if (prev != null && prev.lastFetchLeaderLogEndOffset() != UNKNOWN
                    && fetchOffset >= prev.lastFetchLeaderLogEndOffset()) {
                caughtUp = prev.lastFetchTimeMs();
            } else {
                caughtUp = prev == null ? 0L : prev.lastCaughtUpTimeMs();
            }
            return new FollowerState(fetchOffset, logStartOffset, nowMs, leaderLogEndOffset, caughtUp);
        });
    }

    /** The follower's log end offset, or {@link #UNKNOWN}. */
    long logEndOffset(int follower) {
        FollowerState s = states.get(follower);
        return s == null ? UNKNOWN : s.logEndOffset();
    }

    /** The follower's log start offset as of its last fetch, or {@link #UNKNOWN}. */
    long logStartOffset(int follower) {
        FollowerState s = states.get(follower);
        return s == null ? UNKNOWN : s.logStartOffset();
    }

    /** Whether the follower has not been caught up for more than {@code lagMs}. */
    boolean isLagging(int follower, long nowMs, long lagMs) {
        FollowerState s = states.get(follower);
        return s == null || nowMs - s.lastCaughtUpTimeMs() > lagMs;
    }

    /** The follower's state, or null (tests). */
    FollowerState state(int follower) {
        return states.get(follower);
    }
}
