package io.runnel.broker.replica;

import io.runnel.broker.record.CodecTimestampScanner;
import io.runnel.log.LogAppendInfo;
import io.runnel.log.LogException;
import io.runnel.log.PartitionLog;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * One partition replica hosted by this broker: its {@link PartitionLog}, its idempotent-producer state, and its role
 * from the latest image. As leader it appends produced batches (validated, deduplicated, stamped with the leader
 * epoch) and serves reads below the high watermark.
 *
 * <p>High watermark (DESIGN.md section 6): the minimum log end offset over the ISR, followers' log end offsets coming
 * from their fetches ({@link #readForFollower}). With an ISR of just this broker it is the log end offset after each
 * append; a follower that has not fetched in the current leader epoch holds it back. While an ISR change is pending
 * at the controller, the larger of the two ISRs counts (Kafka's "maximal ISR"). The leader proposes ISR changes
 * through its {@link PartitionListener}: a follower joins once it reaches the high watermark and the start of the
 * current leader epoch; a member leaves after {@code replica.lag.time.max.ms} without catching up.
 *
 * <p>As a follower it appends fetched batches ({@link #appendAsFollower}) and truncates where its log diverged from
 * the leader's ({@link #truncateTo}); both are refused once the role or leader epoch changed.
 *
 * <p>Thread model: appends, truncation and role changes serialize on the partition's append lock (producer state and
 * log together); reads take no lock; role and settings are immutable values swapped by the replica manager.
 */
public final class Partition {
    private final TopicPartition tp;
    private final UUID topicId;
    private final int localBrokerId;
    private final PartitionLog log;
    private final LongSupplier clock;
    private final PartitionListener listener;
    private final LeaderIsrState isr;
    private final PartitionWrites writes;
    private final Object appendLock = new Object();
    private final long replicaLagTimeMaxMs;
    private volatile PartitionState state;
    private volatile PartitionSettings settings;

    private Partition(TopicPartition tp, UUID topicId, int localBrokerId, PartitionLog log, PartitionState state,
                      PartitionSettings settings, long replicaLagTimeMaxMs, LongSupplier clock,
                      PartitionListener listener) {
        this.replicaLagTimeMaxMs = replicaLagTimeMaxMs;
        this.tp = tp;
        this.topicId = topicId;
        this.localBrokerId = localBrokerId;
        this.log = log;
        this.state = state;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.isr = new LeaderIsrState(localBrokerId);
        this.writes = new PartitionWrites(this, localBrokerId, isr, replicaLagTimeMaxMs, clock, listener);
    }

    /**
     * Opens (creating or recovering) the log in {@code dir} and rebuilds producer state from its batch headers.
     *
     * @param replicaLagTimeMaxMs {@code replica.lag.time.max.ms}: as leader, followers not caught up for this long
     *                            leave the ISR and do not count for acks=-1
     * @throws LogException KAFKA_STORAGE_ERROR when the log cannot be opened
     */
    public static Partition open(TopicPartition tp, UUID topicId, Path dir, int localBrokerId, PartitionState state,
                                 PartitionSettings settings, long replicaLagTimeMaxMs, LongSupplier clock,
                                 PartitionListener listener) {
        PartitionLog log = PartitionLog.open(dir, settings.logConfig(), clock, CodecTimestampScanner.INSTANCE);
        Partition p = new Partition(tp, topicId, localBrokerId, log, state, settings, replicaLagTimeMaxMs, clock,
                listener);
        p.rebuildProducerState();
        p.becomeRole(state);
        p.maybeAdvanceHighWatermark();
        return p;
    }

    /** Replays every batch header of the log into fresh producer state (on open; after truncation). */
    public void rebuildProducerState() {
        writes.rebuildProducerState();
    }

    public TopicPartition topicPartition() {
        return tp;
    }

    public UUID topicId() {
        return topicId;
    }

    /** The log (tests, metrics). */
    public PartitionLog log() {
        return log;
    }

    public PartitionState state() {
        return state;
    }

    public PartitionSettings settings() {
        return settings;
    }

    public boolean isLeader() {
        return state.leader() == localBrokerId;
    }

    public long highWatermark() {
        return log.highWatermark();
    }

    public long logEndOffset() {
        return log.logEndOffset();
    }

    public long logStartOffset() {
        return log.logStartOffset();
    }

    /**
     * The last stable offset (KIP-98): the first offset of the oldest open transaction when that is below the high
     * watermark, else the high watermark; never below the log start offset. read_committed consumers read below it.
     * Lock-free.
     */
    public long lastStableOffset() {
        long unstable = writes.firstUnstableOffset();
        long hw = log.highWatermark();
        // records below the log start offset are gone (DeleteRecords, retention): as Kafka, never below it
        return unstable >= 0 ? Math.max(log.logStartOffset(), Math.min(unstable, hw)) : hw;
    }

    /** Every producer's state on this replica (DescribeProducers, KIP-664). */
    public java.util.List<io.runnel.broker.producer.ProducerStateEntry> producers() {
        return writes.producers();
    }

    /**
     * True when a transactional batch of this producer and epoch would need this partition verified as part of the
     * producer's ongoing transaction first (KIP-890): the producer has no transaction open here at that epoch.
     */
    public boolean needsVerification(long producerId, short epoch) {
        return writes.needsVerification(producerId, epoch);
    }

    /** The transaction coordinator's state shows this partition in the producer's ongoing transaction at epoch. */
    public void markVerified(long producerId, short epoch) {
        writes.markVerified(producerId, epoch);
    }

    /**
     * Appends a transaction marker as the leader (WriteTxnMarkers, KIP-98), closing the producer's transaction here:
     * an ABORT goes into the aborted-transaction index, and the last stable offset moves.
     *
     * @return NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS (fewer in-sync replicas than min.insync.replicas, as
     *         for a Produce with acks=-1; nothing appended), INVALID_PRODUCER_EPOCH (a marker older than the
     *         producer's epoch),
     *         TRANSACTION_COORDINATOR_FENCED (an older coordinator epoch than the last marker's) or a storage error;
     *         on success the marker's offset
     */
    public ProducePartitionResult appendTxnMarker(long producerId, short producerEpoch, int coordinatorEpoch,
                                                  boolean commit) {
        return appendTxnMarker(producerId, producerEpoch, coordinatorEpoch, commit, 0);
    }

    /**
     * {@link #appendTxnMarker(long, short, int, boolean)} for a transaction of {@code transactionVersion} (0 or 1:
     * transactions v1; 2: transactions v2, KIP-890 part 2, whose markers carry the epoch the coordinator bumped:
     * see {@link io.runnel.broker.producer.ProducerStateManager#checkMarker(long, short, int, int)}).
     */
    public ProducePartitionResult appendTxnMarker(long producerId, short producerEpoch, int coordinatorEpoch,
                                                  boolean commit, int transactionVersion) {
        return writes.appendTxnMarker(producerId, producerEpoch, coordinatorEpoch, commit, transactionVersion);
    }

    /** Producer ids this partition knows (tests, metrics). */
    public int producerCount() {
        return writes.producerCount();
    }

    /**
     * Takes the role the image gives. A new leader epoch (or becoming leader) forgets the followers' state: each
     * follower must fetch in this epoch before it counts for the high watermark. A pending ISR change is dropped once
     * the image carries a newer partition epoch. As leader, advances the high watermark if the ISR allows.
     */
    public void applyState(PartitionState newState) {
        synchronized (appendLock) {
            PartitionState old = state;
            if (old.leader() != newState.leader() || old.leaderEpoch() != newState.leaderEpoch()) {
                becomeRole(newState);
            } else {
                state = newState;
                isr.onStateChange(newState);
            }
        }
        maybeAdvanceHighWatermark();
    }

    private void becomeRole(PartitionState newState) {
        // the epoch's start offset first: a reader that sees the new state sees its start offset too
        isr.reset(newState, log.logEndOffset(), clock.getAsLong());
        state = newState;
        if (newState.leader() == localBrokerId) {
            // the new epoch starts at the log end offset even before its first append, so a follower's divergence
            // check against this leader always finds an epoch (KIP-101)
            log.leaderEpochCache().assign(newState.leaderEpoch(), log.logEndOffset());
        }
    }

    /** Applies changed topic settings; the log uses them from its next append or retention run. */
    public void updateSettings(PartitionSettings newSettings) {
        if (!newSettings.equals(settings)) {
            settings = newSettings;
            log.updateConfig(newSettings.logConfig());
        }
    }

    private void maybeAdvanceHighWatermark() {
        boolean advanced;
        synchronized (appendLock) {
            advanced = advanceHighWatermarkLocked();
        }
        if (advanced) {
            listener.onHighWatermarkAdvanced(tp);
        }
    }

    /** As leader, raises the high watermark to what the ISR allows (caller holds the append lock). */
    boolean advanceHighWatermarkLocked() {
        PartitionState s = state;
        if (s.leader() != localBrokerId) {
            return false;
        }
        long candidate = isr.highWatermarkCandidate(s, log.logEndOffset());
        if (candidate > log.highWatermark()) {
            log.updateHighWatermark(candidate);
            return true;
        }
        return false;
    }

    /** NONE when {@code requested} is -1 or the current leader epoch; else FENCED_ or UNKNOWN_LEADER_EPOCH. */
    public Errors checkLeaderEpoch(int requested) {
        int current = state.leaderEpoch();
        if (requested < 0 || requested == current) {
            return Errors.NONE;
        }
        return requested < current ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
    }

    /**
     * Appends one Produce partition's records as the leader (DESIGN.md section 3): validates the batch, checks the
     * producer's epoch and sequence (a duplicate of one of its last 5 batches answers the original offsets and
     * appends nothing), stamps LogAppendTime if the topic uses it, appends with the leader epoch, and advances the
     * high watermark.
     *
     * @param records      the batch, position to limit; rewritten in place (offsets, epoch, maybe timestamp)
     * @param requiredAcks -1, 0 or 1; -1 needs at least {@code min.insync.replicas} ISR members, counting only
     *                     followers caught up within {@code replica.lag.time.max.ms} (else NOT_ENOUGH_REPLICAS)
     */
    public ProducePartitionResult appendAsLeader(ByteBuffer records, short requiredAcks) {
        return writes.appendAsLeader(records, requiredAcks);
    }

    /** Reads a fetch as the leader: see {@link LeaderReads#read}. */
    public FetchPartitionData read(FetchPartition fetch, int replicaId, int maxBytes, boolean minOneBatch,
                                   boolean readCommitted) {
        return LeaderReads.read(this, fetch, replicaId, maxBytes, minOneBatch, readCommitted);
    }

    /** What a waiting fetch could read now: see {@link LeaderReads#availableBytes}. */
    public long availableBytes(FetchPartition fetch, int replicaId, boolean readCommitted) {
        return LeaderReads.availableBytes(this, fetch, replicaId, readCommitted);
    }

    /** A follower fetched at {@code fetchOffset} (its log end offset: high watermark, ISR) with its log start. */
    void onFollowerFetch(int replicaId, long fetchOffset, long logStartOffset, long leaderLogEndOffset) {
        long nowMs = clock.getAsLong();
        if (isr.onFetch(replicaId, fetchOffset, logStartOffset, leaderLogEndOffset, nowMs)) {
            listener.onLowWatermarkAdvanced(tp);
        }
        maybeAdvanceHighWatermark();
        IsrProposal expand;
        synchronized (appendLock) {
            expand = isLeader() ? isr.maybeExpand(state, replicaId, log.highWatermark(), nowMs) : null;
        }
        if (expand != null) {
            listener.onIsrChangeProposed(this, expand);
        }
    }

    /**
     * Proposes removing ISR members not caught up for {@code replica.lag.time.max.ms} to the listener; null when
     * this broker does not lead, a change is pending or was just refused, or nobody lags.
     */
    public IsrProposal maybeShrinkIsr() {
        IsrProposal shrink;
        synchronized (appendLock) {
            shrink = isLeader() ? isr.maybeShrink(state, clock.getAsLong(), replicaLagTimeMaxMs) : null;
        }
        if (shrink != null) {
            listener.onIsrChangeProposed(this, shrink);
        }
        return shrink;
    }

    /** The controller refused {@code proposal} (or could not be reached): it is no longer pending; retried later. */
    public void isrChangeFailed(IsrProposal proposal) {
        synchronized (appendLock) {
            isr.failed(proposal, clock.getAsLong());
        }
        maybeAdvanceHighWatermark();
    }

    /**
     * True while this replica leads and its high watermark is below the offset its leader epoch started at: a new
     * leader learns the committed end only from its followers' next fetches. ListOffsets then answers consumers
     * OFFSET_NOT_AVAILABLE (KIP-207) rather than an end offset below records already acknowledged.
     */
    boolean highWatermarkLagsEpochStart() {
        return isLeader() && log.highWatermark() < isr.leaderEpochStartOffset();
    }

    /** The DeleteRecords low watermark: see {@link LeaderIsrState#lowWatermark}; meaningful on the leader only. */
    long lowWatermark() {
        return isr.lowWatermark(state, log.logStartOffset());
    }

    /** A follower takes the leader's log start offset: see {@link LogStartOffsets#followLeader}. */
    public boolean followLeaderLogStart(long leaderLogStartOffset, int leaderEpoch) {
        return LogStartOffsets.followLeader(this, leaderLogStartOffset, leaderEpoch);
    }

    Object appendLock() {
        return appendLock;
    }

    /** The ISR change waiting for the controller, or null. */
    public IsrProposal pendingIsr() {
        return isr.pending();
    }

    /**
     * Appends batches fetched from the leader of {@code leaderEpoch}, keeping their offsets and epochs, and replays
     * them into the producer state.
     *
     * @return the batches appended, or null (nothing appended) when this broker no longer follows at that epoch
     * @throws LogException CORRUPT_MESSAGE, or UNKNOWN_SERVER_ERROR when the batches do not continue the log
     */
    public LogAppendInfo appendAsFollower(ByteBuffer records, int leaderEpoch) {
        return writes.appendAsFollower(records, leaderEpoch);
    }

    /**
     * Truncates a follower's log to {@code offset} (where it diverged from the leader of {@code leaderEpoch}) and
     * rebuilds the producer state; below the log start offset the log restarts empty at {@code offset}.
     *
     * @return false when this broker no longer follows at that epoch (nothing truncated)
     */
    public boolean truncateTo(long offset, int leaderEpoch) {
        return writes.truncateTo(offset, leaderEpoch);
    }

    /** Empties a follower's log and restarts it at the leader's log start offset {@code offset}. */
    public boolean truncateFullyAndStartAt(long offset, int leaderEpoch) {
        return writes.truncateFullyAndStartAt(offset, leaderEpoch);
    }

    /** A follower's high watermark: the leader's, bounded by the local log end offset. */
    public void updateFollowerHighWatermark(long leaderHighWatermark, int leaderEpoch) {
        synchronized (appendLock) {
            if (follows(leaderEpoch) && leaderHighWatermark >= 0) {
                log.updateHighWatermark(Math.min(leaderHighWatermark, log.logEndOffset()));
            }
        }
    }

    boolean follows(int leaderEpoch) {
        PartitionState s = state;
        return s.leader() != localBrokerId && s.leaderEpoch() == leaderEpoch;
    }

    /** Writes the high-watermark checkpoint. */
    public void checkpointHighWatermark() {
        log.checkpointHighWatermark();
    }

    /** Applies retention. */
    public int deleteOldSegments() {
        return log.deleteOldSegments();
    }

    /** Closes the log (flush, checkpoints, clean-shutdown marker). */
    public void close() {
        log.close();
    }
}
