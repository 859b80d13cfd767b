package io.runnel.broker.replica;

import io.runnel.broker.producer.ProducerStateManager;
import io.runnel.broker.producer.SequenceCheck;
import io.runnel.broker.record.CodecTimestampScanner;
import io.runnel.broker.record.LogBatchScanner;
import io.runnel.broker.record.ProduceBatchValidator;
import io.runnel.broker.record.RecordValidationException;
import io.runnel.log.FileSlice;
import io.runnel.log.LogAppendInfo;
import io.runnel.log.LogException;
import io.runnel.log.PartitionLog;
import io.runnel.log.TimestampLookup;
import io.runnel.log.epoch.EpochEntry;
import io.runnel.log.index.TimestampOffset;
import io.runnel.log.record.RecordBatchHeader;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One partition replica hosted by this broker: its {@link PartitionLog}, its idempotent-producer state, and its role
 * from the latest image. As leader it appends produced batches (validated, deduplicated, stamped with the leader
 * epoch) and serves reads below the high watermark.
 *
 * <p>High watermark (DESIGN.md section 6): the minimum log end offset over the ISR. With an ISR of just this broker
 * it is the log end offset after each append. Followers' log end offsets arrive through
 * {@link #updateFollowerLogEndOffset} (follower fetching is issue 5); until a follower reported one, a leader with
 * followers in its ISR does not advance it.
 *
 * <p>Thread model: appends serialize on the partition's append lock (producer state and log append together); reads
 * take no lock; role and settings are immutable values swapped by the replica manager.
 */
public final class Partition {
    private final TopicPartition tp;
    private final UUID topicId;
    private final int localBrokerId;
    private final PartitionLog log;
    private final LongSupplier clock;
    private final HighWatermarkListener listener;
    private final ProducerStateManager producers = new ProducerStateManager();
    private final Map<Integer, Long> followerLogEndOffsets = new ConcurrentHashMap<>();
    private final Object appendLock = new Object();
    private volatile PartitionState state;
    private volatile PartitionSettings settings;

    private Partition(TopicPartition tp, UUID topicId, int localBrokerId, PartitionLog log, PartitionState state,
                      PartitionSettings settings, LongSupplier clock, HighWatermarkListener listener) {
        this.tp = tp;
        this.topicId = topicId;
        this.localBrokerId = localBrokerId;
        this.log = log;
        this.state = state;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Opens (creating or recovering) the log in {@code dir} and rebuilds producer state from its batch headers.
     *
     * @throws LogException KAFKA_STORAGE_ERROR when the log cannot be opened
     */
    public static Partition open(TopicPartition tp, UUID topicId, Path dir, int localBrokerId, PartitionState state,
                                 PartitionSettings settings, LongSupplier clock, HighWatermarkListener listener) {
        PartitionLog log = PartitionLog.open(dir, settings.logConfig(), clock, CodecTimestampScanner.INSTANCE);
        Partition p = new Partition(tp, topicId, localBrokerId, log, state, settings, clock, listener);
        p.rebuildProducerState();
        p.applyState(state);
        return p;
    }

    /** Replays every batch header of the log into fresh producer state (on open; after truncation in issue 5). */
    public void rebuildProducerState() {
        synchronized (appendLock) {
            producers.clear();
            LogBatchScanner.forEachHeader(log, log.logStartOffset(), log.logEndOffset(),
                    (slice, position, header) -> producers.replay(header));
        }
    }

    public TopicPartition topicPartition() {
        return tp;
    }

    public UUID topicId() {
        return topicId;
    }

    /** The log (tests and the follower path of issue 5). */
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

    /** Producer ids this partition knows (tests, metrics). */
    public int producerCount() {
        synchronized (appendLock) {
            return producers.producerCount();
        }
    }

    /** Takes the role the image gives; as leader, advances the high watermark if the ISR allows. */
    public void applyState(PartitionState newState) {
        this.state = newState;
        followerLogEndOffsets.keySet().retainAll(newState.isr());
        maybeAdvanceHighWatermark();
    }

    /** Applies changed topic settings; the log uses them from its next append or retention run. */
    public void updateSettings(PartitionSettings newSettings) {
        if (!newSettings.equals(settings)) {
            settings = newSettings;
            log.updateConfig(newSettings.logConfig());
        }
    }

    /** Records a follower's log end offset (from its fetch, issue 5) and advances the high watermark if it can. */
    public void updateFollowerLogEndOffset(int brokerId, long logEndOffset) {
        followerLogEndOffsets.put(brokerId, logEndOffset);
        maybeAdvanceHighWatermark();
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

    private boolean advanceHighWatermarkLocked() {
        PartitionState s = state;
        if (s.leader() != localBrokerId) {
            return false;
        }
        long candidate = log.logEndOffset();
        for (int replica : s.isr()) {
            if (replica != localBrokerId) {
                candidate = Math.min(candidate, followerLogEndOffsets.getOrDefault(replica, -1L));
            }
        }
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
     * @param requiredAcks -1, 0 or 1; -1 needs an ISR of at least {@code min.insync.replicas}
     */
    public ProducePartitionResult appendAsLeader(ByteBuffer records, short requiredAcks) {
        ProducePartitionResult result;
        boolean advanced;
        synchronized (appendLock) {
            PartitionState s = state;
            if (s.leader() != localBrokerId) {
                return ProducePartitionResult.error(Errors.NOT_LEADER_OR_FOLLOWER, "broker " + localBrokerId
                        + " is not the leader of " + tp + " (leader " + s.leader() + ")");
            }
            PartitionSettings cfg = settings;
            if (requiredAcks == -1 && s.isr().size() < cfg.minInsyncReplicas()) {
                return ProducePartitionResult.error(Errors.NOT_ENOUGH_REPLICAS, "the ISR " + s.isr() + " of " + tp
                        + " is smaller than min.insync.replicas=" + cfg.minInsyncReplicas());
            }
            long now = clock.getAsLong();
            RecordBatchHeader header;
            try {
                header = ProduceBatchValidator.validate(records, cfg.logConfig().maxMessageBytes(),
                        cfg.logConfig().segmentBytes(), cfg.timestamps(), now);
            } catch (RecordValidationException e) {
                return ProducePartitionResult.error(e.error(), e.getMessage());
            }
            SequenceCheck check = producers.check(header);
            if (check.outcome() == SequenceCheck.Outcome.REJECT) {
                return ProducePartitionResult.error(check.error(), check.message());
            }
            if (check.outcome() == SequenceCheck.Outcome.DUPLICATE) {
                return new ProducePartitionResult(Errors.NONE, null, check.duplicate().firstOffset(),
                        check.duplicate().lastOffset(),
                        cfg.timestamps().logAppendTime() ? check.duplicate().timestamp() : -1L, log.logStartOffset());
            }
            if (cfg.timestamps().logAppendTime()) {
                RecordBatchHeader.setLogAppendTime(records, records.position(), now);
            }
            LogAppendInfo info;
            try {
                info = log.append(records, s.leaderEpoch());
            } catch (LogException e) {
                return ProducePartitionResult.error(Errors.forCode(e.error().code()), e.getMessage());
            }
            info.batches().forEach(producers::replay);
            advanced = advanceHighWatermarkLocked();
            result = new ProducePartitionResult(Errors.NONE, null, info.firstOffset(), info.lastOffset(),
                    cfg.timestamps().logAppendTime() ? now : -1L, log.logStartOffset());
        }
        if (advanced) {
            listener.onHighWatermarkAdvanced(tp);
        }
        return result;
    }

    /**
     * Reads whole batches from {@code fetch.fetchOffset()}, below the high watermark, as the leader.
     *
     * @param maxBytes    bytes allowed for this partition
     * @param minOneBatch return the first batch even if larger than {@code maxBytes} (KIP-74)
     */
    public FetchPartitionData read(FetchPartition fetch, int maxBytes, boolean minOneBatch) {
        PartitionState s = state;
        Errors error = s.leader() != localBrokerId ? Errors.NOT_LEADER_OR_FOLLOWER
                : checkLeaderEpoch(fetch.currentLeaderEpoch());
        if (error != Errors.NONE) {
            return FetchPartitionData.error(tp, error, s.leader(), s.leaderEpoch());
        }
        long hw = log.highWatermark();
        long logStart = log.logStartOffset();
        try {
            FileSlice slice = log.read(fetch.fetchOffset(), Math.max(0, maxBytes), hw, minOneBatch);
            return new FetchPartitionData(tp, Errors.NONE, hw, hw, logStart, slice, s.leader(), s.leaderEpoch());
        } catch (LogException e) {
            return FetchPartitionData.error(tp, Errors.forCode(e.error().code()), s.leader(), s.leaderEpoch());
        }
    }

    /**
     * How many bytes a fetch could read now (up to its partition limit), for a waiting fetch; -1 when the fetch
     * should be answered at once because of an error (leadership, epoch, offset out of range).
     */
    public long availableBytes(FetchPartition fetch) {
        if (!isLeader() || checkLeaderEpoch(fetch.currentLeaderEpoch()) != Errors.NONE) {
            return -1;
        }
        long hw = log.highWatermark();
        if (fetch.fetchOffset() < log.logStartOffset() || fetch.fetchOffset() > log.logEndOffset()) {
            return -1;
        }
        if (fetch.fetchOffset() >= hw) {
            return 0;
        }
        try {
            return log.read(fetch.fetchOffset(), Math.max(0, fetch.maxBytes()), hw, true).length();
        } catch (LogException e) {
            return -1;
        }
    }

    /**
     * ListOffsets for one partition (KIP-79; KIP-734 for MAX_TIMESTAMP): -2 earliest, -1 latest (the high
     * watermark), -3 the record with the largest timestamp, otherwise the first record at or after the timestamp.
     * Only offsets below the high watermark are answered.
     */
    public OffsetLookupResult offsetForTimestamp(long timestamp, int currentLeaderEpoch) {
        PartitionState s = state;
        if (s.leader() != localBrokerId) {
            return OffsetLookupResult.error(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        Errors epochError = checkLeaderEpoch(currentLeaderEpoch);
        if (epochError != Errors.NONE) {
            return OffsetLookupResult.error(epochError);
        }
        long hw = log.highWatermark();
        try {
            if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP) {
                long start = log.logStartOffset();
                return new OffsetLookupResult(Errors.NONE, -1L, start, epochAt(start));
            }
            if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
                return new OffsetLookupResult(Errors.NONE, -1L, hw, s.leaderEpoch());
            }
            if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
                return maxTimestamp(hw);
            }
            if (timestamp < 0) {
                return OffsetLookupResult.error(Errors.INVALID_REQUEST);
            }
            TimestampLookup found = log.offsetForTimestamp(timestamp);
            if (found == null || found.offset() >= hw) {
                return OffsetLookupResult.NOT_FOUND;
            }
            return new OffsetLookupResult(Errors.NONE, found.timestamp(), found.offset(), found.leaderEpoch());
        } catch (LogException e) {
            return OffsetLookupResult.error(Errors.forCode(e.error().code()));
        }
    }

    private OffsetLookupResult maxTimestamp(long hw) {
        RecordBatchHeader[] best = new RecordBatchHeader[1];
        FileSlice[] bestSlice = new FileSlice[1];
        long[] bestPosition = new long[1];
        LogBatchScanner.forEachHeader(log, log.logStartOffset(), hw, (slice, position, header) -> {
            if (header.lastOffset() < hw && (best[0] == null || header.maxTimestamp() > best[0].maxTimestamp())) {
                best[0] = header;
                bestSlice[0] = slice;
                bestPosition[0] = position;
            }
        });
        if (best[0] == null) {
            return OffsetLookupResult.NOT_FOUND;
        }
        RecordBatchHeader h = best[0];
        ByteBuffer batch = LogBatchScanner.readBatch(bestSlice[0], bestPosition[0], h);
        TimestampOffset exact = CodecTimestampScanner.INSTANCE.firstAtOrAfter(batch, h, h.maxTimestamp(),
                log.logStartOffset());
        long offset = exact == null ? h.lastOffset() : exact.offset();
        return new OffsetLookupResult(Errors.NONE, h.maxTimestamp(), offset, h.partitionLeaderEpoch());
    }

    private int epochAt(long offset) {
        int epoch = -1;
        for (EpochEntry e : log.leaderEpochCache().entries()) {
            if (e.startOffset() <= offset) {
                epoch = e.epoch();
            }
        }
        return epoch;
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
