package io.runnel.broker.replication;

import io.runnel.log.epoch.EpochEndOffset;

/**
 * Where a follower truncates when the leader reports a diverging epoch (Fetch v12 {@code diverging_epoch}; the
 * epoch rules of KIP-101 and KIP-279). The leader answered with its largest epoch {@code E} at most the follower's
 * last fetched epoch and the offset where {@code E} ends in the leader's log. The follower looks up its own largest
 * epoch at most {@code E}:
 * <ul>
 *   <li>the same epoch: both logs agree up to the smaller of the two end offsets;</li>
 *   <li>an older epoch, or none: the follower truncates to the smaller of its end of that epoch (or its log end)
 *       and the leader's end offset, and its next fetch names that older epoch, so the check repeats until the
 *       logs agree.</li>
 * </ul>
 * Never the high watermark alone. A pure function.
 */
final class Truncation {
    private Truncation() {
    }

    /**
     * @param leader        the leader's {@code diverging_epoch}: epoch (at least 0) and its end offset
     * @param follower      the follower's own end offset for {@code leader.epoch()} ({@code
     *                      LeaderEpochCache.endOffsetFor}), UNDEFINED when it knows no epoch that old
     * @param logEndOffset  the follower's log end offset
     * @return the offset to truncate the follower's log to (exclusive end of what it keeps)
     */
    static long offset(EpochEndOffset leader, EpochEndOffset follower, long logEndOffset) {
        long end = Math.min(leader.endOffset(), logEndOffset);
        if (follower.epoch() == EpochEndOffset.UNDEFINED_EPOCH) {
            return end;
        }
        return Math.min(end, follower.endOffset());
    }
}
