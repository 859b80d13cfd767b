package io.runnel.broker.replica;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A partition leader's ISR bookkeeping (DESIGN.md section 6): the followers' fetch state ({@link FollowerTracker}),
 * the ISR change pending at the controller, and where the current leader epoch started. Decides, without side
 * effects beyond its own fields, which ISR change to propose: a follower joins once its log end offset reaches both
 * the high watermark and the start offset of the current leader epoch; members that have not caught up for {@code
 * replica.lag.time.max.ms} leave. At most one change is pending at a time; while it is, the high watermark counts
 * the union of the current and proposed ISR (Kafka's "maximal ISR"), so it never runs ahead of either.
 *
 * <p>Not thread-safe by itself: every method runs under the owning {@link Partition}'s append lock (the tracker
 * may also be updated concurrently, it is thread-safe).
 */
final class LeaderIsrState {
    /**
     * After the controller refused a change (or could not be reached), how long no new change is proposed, in ms.
     * Without it a refused expansion (e.g. INELIGIBLE_REPLICA while the follower is still fenced) went to the
     * controller again on every follower fetch.
     */
    static final long RETRY_BACKOFF_MS = 1_000;
    private final int localBrokerId;
    private final FollowerTracker followers = new FollowerTracker();
    private volatile IsrProposal pending;
    private volatile long leaderEpochStartOffset;
    private long noProposalBeforeMs;

    LeaderIsrState(int localBrokerId) {
        this.localBrokerId = localBrokerId;
    }

    /** A new role or leader epoch: forgets the followers and any pending change. */
    void reset(PartitionState state, long logEndOffset, long nowMs) {
        pending = null;
        noProposalBeforeMs = 0;
        leaderEpochStartOffset = logEndOffset;
        List<Integer> others = new ArrayList<>(state.replicas());
        others.remove(Integer.valueOf(localBrokerId));
        followers.reset(others, nowMs);
    }

    /**
     * The log end offset when this replica took its current role and leader epoch: as leader, the first offset of
     * its epoch. Until the high watermark reaches it, the leader cannot tell a consumer where the log ends (KIP-207).
     */
    long leaderEpochStartOffset() {
        return leaderEpochStartOffset;
    }

    /**
     * A new state in the same leader epoch: drops the pending change once the image carries a partition epoch newer
     * than the one it was based on, and forgets followers that are no longer replicas (a reassignment removed them,
     * KIP-455), so that one removed and later added again starts from an unknown log end offset.
     */
    void onStateChange(PartitionState state) {
        IsrProposal p = pending;
        if (p != null && state.partitionEpoch() > p.partitionEpoch()) {
            pending = null;
        }
        followers.retain(state.replicas());
    }

    /** The high watermark candidate: the log end offset bounded by every follower of the maximal ISR. */
    long highWatermarkCandidate(PartitionState state, long logEndOffset) {
        Set<Integer> isr = new HashSet<>(state.isr());
        IsrProposal p = pending;
        if (p != null) {
            isr.addAll(p.newIsr());
        }
        long candidate = logEndOffset;
        for (int replica : isr) {
            if (replica != localBrokerId) {
                candidate = Math.min(candidate, followers.logEndOffset(replica));
            }
        }
        return candidate;
    }

    /** Records a follower's fetch; true when it reported a higher log start offset than before. */
    boolean onFetch(int replicaId, long fetchOffset, long logStartOffset, long leaderLogEndOffset, long nowMs) {
        long before = followers.logStartOffset(replicaId);
        followers.onFetch(replicaId, fetchOffset, logStartOffset, leaderLogEndOffset, nowMs);
        return logStartOffset > before;
    }

    /**
     * The DeleteRecords low watermark (KIP-107): the minimum log start offset over the leader ({@code
     * leaderLogStartOffset}) and the followers of the current ISR; {@link FollowerTracker#UNKNOWN} while an ISR
     * follower has not reported one in this leader epoch.
     */
    long lowWatermark(PartitionState state, long leaderLogStartOffset) {
        long low = leaderLogStartOffset;
        for (int replica : state.isr()) {
            if (replica != localBrokerId) {
                low = Math.min(low, followers.logStartOffset(replica));
            }
        }
        return low;
    }

    /**
     * Proposes adding {@code replicaId} when it qualifies, nothing is pending and no refusal is fresher than {@link
     * #RETRY_BACKOFF_MS}; the proposal becomes pending.
     */
    IsrProposal maybeExpand(PartitionState state, int replicaId, long highWatermark, long nowMs) {
        if (pending != null || nowMs < noProposalBeforeMs || state.isr().contains(replicaId)) {
            return null;
        }
        long followerEnd = followers.logEndOffset(replicaId);
        if (followerEnd < highWatermark || followerEnd < leaderEpochStartOffset) {
            return null;
        }
        List<Integer> isr = new ArrayList<>(state.isr());
        isr.add(replicaId);
        pending = new IsrProposal(isr, state.leaderEpoch(), state.partitionEpoch(), "broker " + replicaId
                + " caught up to offset " + followerEnd);
        return pending;
    }

    /**
     * Proposes removing lagging members when some lag, nothing is pending and no refusal is fresher than {@link
     * #RETRY_BACKOFF_MS}; the proposal becomes pending.
     */
    IsrProposal maybeShrink(PartitionState state, long nowMs, long lagTimeMaxMs) {
        if (pending != null || nowMs < noProposalBeforeMs) {
            return null;
        }
        List<Integer> isr = new ArrayList<>();
        List<Integer> lagging = new ArrayList<>();
        for (int id : state.isr()) {
            (id != localBrokerId && followers.isLagging(id, nowMs, lagTimeMaxMs) ? lagging : isr).add(id);
        }
        if (lagging.isEmpty()) {
            return null;
        }
        pending = new IsrProposal(isr, state.leaderEpoch(), state.partitionEpoch(), "brokers " + lagging
                + " have not caught up within replica.lag.time.max.ms=" + lagTimeMaxMs + " ms");
        return pending;
    }

    /**
     * ISR members the leader itself sees in sync: itself and every follower caught up within {@code lagTimeMaxMs}.
     * Smaller than the committed ISR while a lagging member waits to be removed (or the controller cannot be
     * reached to remove it).
     */
    int liveIsrSize(PartitionState state, long nowMs, long lagTimeMaxMs) {
        int n = 0;
        for (int id : state.isr()) {
            if (id == localBrokerId || !followers.isLagging(id, nowMs, lagTimeMaxMs)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Forgets {@code proposal} if it is the pending one (refused by the controller, or not answered); the next
     * change is proposed no sooner than {@link #RETRY_BACKOFF_MS} after {@code nowMs}.
     */
    void failed(IsrProposal proposal, long nowMs) {
        if (pending == proposal) {
            pending = null;
            noProposalBeforeMs = nowMs + RETRY_BACKOFF_MS;
        }
    }

    IsrProposal pending() {
        return pending;
    }

    FollowerTracker followers() {
        return followers;
    }
}
