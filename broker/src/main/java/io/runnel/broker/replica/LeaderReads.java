package io.runnel.broker.replica;

import io.runnel.log.AbortedTxn;
import io.runnel.log.FileSlice;
import io.runnel.log.LogException;
import io.runnel.log.PartitionLog;
import io.runnel.log.epoch.EpochEndOffset;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;

/**
 * Fetch reads on a partition leader, for consumers and for followers (DESIGN.md section 6). Stateless; reads the
 * log without locks. read_committed consumers (KIP-98) read below the last stable offset and get the aborted
 * transactions of the range they read from the log's transaction indexes.
 */
final class LeaderReads {
    private LeaderReads() {
    }

    /**
     * Reads whole batches from {@code fetch.fetchOffset()} as the leader: below the high watermark for consumers
     * ({@code replicaId} -1), up to the log end offset for a follower. A follower's fetch is first checked for
     * divergence (Fetch v12 {@code last_fetched_epoch}; the epoch rules of KIP-101/KIP-279/KIP-320): when the
     * leader's log ends the follower's last fetched epoch before the fetch offset, or does not know that epoch, the
     * answer carries no records and a {@code diverging_epoch} (the leader's end offset for that epoch) telling the
     * follower where to truncate. Otherwise the fetch offset is the follower's log end offset: it may advance the
     * high watermark and bring the follower into the ISR.
     *
     * @param replicaId   -1 for a consumer, else the fetching follower's broker id
     * @param maxBytes    bytes allowed for this partition
     * @param minOneBatch return the first batch even if larger than {@code maxBytes} (KIP-74)
     * @return NOT_LEADER_OR_FOLLOWER (also for a broker that is not a replica), FENCED_LEADER_EPOCH,
     *         UNKNOWN_LEADER_EPOCH, OFFSET_OUT_OF_RANGE (with the high watermark and log start offset) or
     *         KAFKA_STORAGE_ERROR on failure
     */
    static FetchPartitionData read(Partition p, FetchPartition fetch, int replicaId, int maxBytes,
                                   boolean minOneBatch, boolean readCommitted) {
        PartitionState s = p.state();
        PartitionLog log = p.log();
        Errors error = !p.isLeader() ? Errors.NOT_LEADER_OR_FOLLOWER : p.checkLeaderEpoch(fetch.currentLeaderEpoch());
        if (error == Errors.NONE && replicaId >= 0 && (replicaId == s.leader()
                || !s.replicas().contains(replicaId))) {
            error = Errors.NOT_LEADER_OR_FOLLOWER;
        }
        if (error != Errors.NONE) {
            return FetchPartitionData.error(fetch.tp(), error, s.leader(), s.leaderEpoch());
        }
        long logStart = log.logStartOffset();
        if (replicaId >= 0) {
            EpochEndOffset diverging = divergence(log, fetch);
            if (diverging != null) {
                return FetchPartitionData.diverging(fetch.tp(), log.highWatermark(), logStart, diverging,
                        s.leader(), s.leaderEpoch());
            }
            long leo = log.logEndOffset();
            if (fetch.fetchOffset() >= logStart && fetch.fetchOffset() <= leo) {
                p.onFollowerFetch(replicaId, fetch.fetchOffset(), fetch.logStartOffset(), leo);
            }
        }
        long hw = log.highWatermark();
        long lso = p.lastStableOffset();
        try {
            long bound = replicaId >= 0 ? Long.MAX_VALUE : readCommitted ? lso : hw;
            FileSlice slice = log.read(fetch.fetchOffset(), Math.max(0, maxBytes), bound, minOneBatch);
            List<AbortedTxn> aborted = readCommitted && replicaId < 0
                    ? (slice.isEmpty() ? List.of() : log.abortedTransactions(fetch.fetchOffset(), lso)) : null;
            return new FetchPartitionData(fetch.tp(), Errors.NONE, hw, lso, logStart, slice, s.leader(),
                    s.leaderEpoch(), null, aborted);
        } catch (LogException e) {
            Errors failure = Errors.forCode(e.error().code());
            return failure == Errors.OFFSET_OUT_OF_RANGE
                    ? FetchPartitionData.outOfRange(fetch.tp(), hw, logStart, s.leader(), s.leaderEpoch())
                    : FetchPartitionData.error(fetch.tp(), failure, s.leader(), s.leaderEpoch());
        }
    }

    /**
     * How many bytes a fetch could read now (up to its partition limit), for a waiting fetch; -1 when the fetch
     * should be answered at once: an error (leadership, epoch, offset out of range) or, for a follower, divergence.
     */
    static long availableBytes(Partition p, FetchPartition fetch, int replicaId, boolean readCommitted) {
        PartitionLog log = p.log();
        if (!p.isLeader() || p.checkLeaderEpoch(fetch.currentLeaderEpoch()) != Errors.NONE) {
            return -1;
        }
        if (replicaId >= 0 && divergence(log, fetch) != null) {
            return -1;
        }
        if (fetch.fetchOffset() < log.logStartOffset() || fetch.fetchOffset() > log.logEndOffset()) {
            return -1;
        }
        long bound = replicaId >= 0 ? log.logEndOffset() : readCommitted ? p.lastStableOffset()
                : log.highWatermark();
        if (fetch.fetchOffset() >= bound) {
            return 0;
        }
        try {
            return log.read(fetch.fetchOffset(), Math.max(0, fetch.maxBytes()), bound, true).length();
        } catch (LogException e) {
            return -1;
        }
    }

    /** The leader's end of the follower's last fetched epoch when the follower's log diverged there, else null. */
    private static EpochEndOffset divergence(PartitionLog log, FetchPartition fetch) {
        if (fetch.lastFetchedEpoch() < 0) {
            return null;
        }
        EpochEndOffset end = log.endOffsetForEpoch(fetch.lastFetchedEpoch());
        return end.epoch() < fetch.lastFetchedEpoch() || end.endOffset() < fetch.fetchOffset() ? end : null;
    }
}
