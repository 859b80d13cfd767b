package io.runnel.broker.replica;

import io.runnel.broker.producer.CompletedTxn;
import io.runnel.broker.producer.ProducerStateEntry;
import io.runnel.broker.producer.ProducerStateManager;
import io.runnel.broker.producer.SequenceCheck;
import io.runnel.broker.producer.TxnMarker;
import io.runnel.broker.record.ControlMarkers;
import io.runnel.broker.record.LogBatchScanner;
import io.runnel.broker.record.ProduceBatchValidator;
import io.runnel.broker.record.RecordValidationException;
import io.runnel.log.AbortedTxn;
import io.runnel.log.LogAppendInfo;
import io.runnel.log.LogException;
import io.runnel.log.PartitionLog;
import io.runnel.log.record.RecordBatchHeader;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The write side of one {@link Partition}: its idempotent-producer state and every change to its log's records
 * that must keep that state in step. As leader it appends Produce batches (validated, deduplicated against the
 * producer state, stamped with the leader epoch); as follower it appends fetched batches and truncates where its log
 * diverged from the leader's, refusing both once the role or leader epoch changed. The producer state is rebuilt
 * from the log's batch headers on open and after every truncation. Offsets are log offsets; times are ms from the
 * partition's clock.
 *
 * <p>Locking: every method here runs under the partition's append lock ({@link Partition#appendLock()}), which role
 * changes also take, so a write sees one role and leader epoch throughout and the producer state always matches the
 * log. The producer state is touched only under that lock. The listener hears of an advanced high watermark after
 * the lock is released.
 */
final class PartitionWrites {
    private final Partition partition;
    private final int localBrokerId;
    private final LeaderIsrState isr;
    private final long replicaLagTimeMaxMs;
    private final LongSupplier clock;
    private final PartitionListener listener;
    private final ProducerStateManager producers = new ProducerStateManager();
    /** The first offset of the oldest open transaction, or -1; published for lock-free readers. */
    private volatile long firstUnstableOffset = -1L;

    /**
     * @param isr                 the partition's ISR bookkeeping, read for the acks=-1 check
     * @param replicaLagTimeMaxMs {@code replica.lag.time.max.ms}, for the acks=-1 check
     */
    PartitionWrites(Partition partition, int localBrokerId, LeaderIsrState isr, long replicaLagTimeMaxMs,
                    LongSupplier clock, PartitionListener listener) {
        this.partition = partition;
        this.localBrokerId = localBrokerId;
        this.isr = isr;
        this.replicaLagTimeMaxMs = replicaLagTimeMaxMs;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * See {@link Partition#rebuildProducerState}. Transaction markers are read whole to learn their type; the
     * aborted-transaction indexes are rebuilt from them.
     */
    void rebuildProducerState() {
        synchronized (partition.appendLock()) {
            PartitionLog log = partition.log();
            producers.clear();
            log.resetTransactionIndexes();
            LogBatchScanner.forEachHeader(log, log.logStartOffset(), log.logEndOffset(), (slice, position, header) -> {
                if (header.isControl()) {
                    ByteBuffer batch = LogBatchScanner.readBatch(slice, position, header);
                    replayMarker(header, ControlMarkers.read(batch, 0, header));
                } else {
                    producers.replay(header);
                }
            });
            publishFirstUnstableOffset();
        }
    }

    /** Replays a control batch; an ABORT marker that closes a transaction goes into the aborted-txn index. */
    private void replayMarker(RecordBatchHeader header, TxnMarker marker) {
        if (marker == null || !header.hasProducerId()) {
            return;
        }
        CompletedTxn done = producers.replayMarker(header, marker);
        if (done != null && done.aborted()) {
            long unstable = producers.firstUnstableOffset();
            partition.log().appendAbortedTransaction(new AbortedTxn(done.producerId(), done.firstOffset(),
                    done.lastOffset(), unstable >= 0 ? unstable : done.lastOffset() + 1));
        }
    }

    private void publishFirstUnstableOffset() {
        long unstable = producers.firstUnstableOffset();
        if (unstable != firstUnstableOffset) {
            firstUnstableOffset = unstable;
            partition.log().updateFirstUnstableOffset(unstable);
        }
    }

    /** The first offset of the oldest open transaction on this replica, or -1; lock-free. */
    long firstUnstableOffset() {
        return firstUnstableOffset;
    }

    /** See {@link Partition#producers}. */
    List<ProducerStateEntry> producers() {
        synchronized (partition.appendLock()) {
            return producers.entries();
        }
    }

    /** See {@link Partition#needsVerification}. */
    boolean needsVerification(long producerId, short epoch) {
        synchronized (partition.appendLock()) {
            return producers.needsVerification(producerId, epoch);
        }
    }

    /** See {@link Partition#markVerified}. */
    void markVerified(long producerId, short epoch) {
        synchronized (partition.appendLock()) {
            producers.markVerified(producerId, epoch);
        }
    }

    /** See {@link Partition#appendTxnMarker}. */
    ProducePartitionResult appendTxnMarker(long producerId, short producerEpoch, int coordinatorEpoch,
                                           boolean commit, int transactionVersion) {
        TopicPartition tp = partition.topicPartition();
        ProducePartitionResult result;
        synchronized (partition.appendLock()) {
            PartitionState s = partition.state();
            if (s.leader() != localBrokerId) {
                return ProducePartitionResult.error(Errors.NOT_LEADER_OR_FOLLOWER, "broker " + localBrokerId
                        + " is not the leader of " + tp + " (leader " + s.leader() + ")");
            }
            long now = clock.getAsLong();
            PartitionSettings cfg = partition.settings();
            if (s.isr().size() < cfg.minInsyncReplicas()
                    || isr.liveIsrSize(s, now, replicaLagTimeMaxMs) < cfg.minInsyncReplicas()) {
                // as a Produce with acks=-1: appending a marker that cannot be acknowledged would only make the
                // coordinator's retry append it again
                return ProducePartitionResult.error(Errors.NOT_ENOUGH_REPLICAS, "the in-sync replicas of " + tp
                        + " are fewer than min.insync.replicas=" + cfg.minInsyncReplicas());
            }
            SequenceCheck check = producers.checkMarker(producerId, producerEpoch, coordinatorEpoch,
                    transactionVersion);
            if (check.outcome() == SequenceCheck.Outcome.REJECT) {
                return ProducePartitionResult.error(check.error(), check.message());
            }
            ByteBuffer records = ControlMarkers.build(producerId, producerEpoch, coordinatorEpoch, commit, now);
            LogAppendInfo info;
            try {
                info = partition.log().append(records, s.leaderEpoch());
            } catch (LogException e) {
                return ProducePartitionResult.error(Errors.forCode(e.error().code()), e.getMessage());
            }
            replayMarker(info.batches().get(0), new TxnMarker(commit, coordinatorEpoch));
            publishFirstUnstableOffset();
            partition.advanceHighWatermarkLocked();
            result = new ProducePartitionResult(Errors.NONE, null, info.firstOffset(), info.lastOffset(), -1L,
                    partition.log().logStartOffset());
        }
        listener.onHighWatermarkAdvanced(tp); // the last stable offset may have moved even if the HW did not
        return result;
    }

    /** See {@link Partition#producerCount}. */
    int producerCount() {
        synchronized (partition.appendLock()) {
            return producers.producerCount();
        }
    }

    /** See {@link Partition#appendAsLeader}. */
    ProducePartitionResult appendAsLeader(ByteBuffer records, short requiredAcks) {
        TopicPartition tp = partition.topicPartition();
        PartitionLog log = partition.log();
        ProducePartitionResult result;
        boolean advanced;
        synchronized (partition.appendLock()) {
            PartitionState s = partition.state();
            if (s.leader() != localBrokerId) {
                return ProducePartitionResult.error(Errors.NOT_LEADER_OR_FOLLOWER, "broker " + localBrokerId
                        + " is not the leader of " + tp + " (leader " + s.leader() + ")");
            }
            PartitionSettings cfg = partition.settings();
            long now = clock.getAsLong();
            if (requiredAcks == -1 && (s.isr().size() < cfg.minInsyncReplicas()
                    || isr.liveIsrSize(s, now, replicaLagTimeMaxMs) < cfg.minInsyncReplicas())) {
                return ProducePartitionResult.error(Errors.NOT_ENOUGH_REPLICAS, "the in-sync replicas of " + tp
                        + " (ISR " + s.isr() + ", of which " + isr.liveIsrSize(s, now, replicaLagTimeMaxMs)
                        + " caught up within replica.lag.time.max.ms) are fewer than min.insync.replicas="
                        + cfg.minInsyncReplicas());
            }
            RecordBatchHeader header;
            try {
                header = ProduceBatchValidator.validate(records, cfg.logConfig().maxMessageBytes(),
                        cfg.logConfig().segmentBytes(), cfg.timestamps(), cfg.logConfig().cleanupPolicy().compact(),
                        tp.topic() + "-" + tp.partition(), now);
            } catch (RecordValidationException e) {
                return ProducePartitionResult.error(e.error(), e.getMessage(), e.recordErrors());
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
            publishFirstUnstableOffset();
            advanced = partition.advanceHighWatermarkLocked();
            result = new ProducePartitionResult(Errors.NONE, null, info.firstOffset(), info.lastOffset(),
                    cfg.timestamps().logAppendTime() ? now : -1L, log.logStartOffset());
        }
        if (advanced) {
            listener.onHighWatermarkAdvanced(tp);
        }
        return result;
    }

    /** See {@link Partition#appendAsFollower}. */
    LogAppendInfo appendAsFollower(ByteBuffer records, int leaderEpoch) {
        synchronized (partition.appendLock()) {
            if (!partition.follows(leaderEpoch)) {
                return null;
            }
            Map<Long, Integer> positions = ControlMarkers.batchPositions(records);
            ByteBuffer bytes = records.duplicate();
            LogAppendInfo info = partition.log().appendAsFollower(records);
            for (RecordBatchHeader h : info.batches()) {
                if (h.isControl()) {
                    Integer pos = positions.get(h.baseOffset());
                    replayMarker(h, pos == null ? null : ControlMarkers.read(bytes, pos, h));
                } else {
                    producers.replay(h);
                }
            }
            publishFirstUnstableOffset();
            return info;
        }
    }

    /** See {@link Partition#truncateTo}. */
    boolean truncateTo(long offset, int leaderEpoch) {
        synchronized (partition.appendLock()) {
            if (!partition.follows(leaderEpoch)) {
                return false;
            }
            PartitionLog log = partition.log();
            if (offset < log.logStartOffset()) {
                log.truncateFullyAndStartAt(offset);
            } else {
                log.truncateTo(offset);
            }
            rebuildProducerState();
            return true;
        }
    }

    /** See {@link Partition#truncateFullyAndStartAt}. */
    boolean truncateFullyAndStartAt(long offset, int leaderEpoch) {
        synchronized (partition.appendLock()) {
            if (!partition.follows(leaderEpoch)) {
                return false;
            }
            partition.log().truncateFullyAndStartAt(offset);
            rebuildProducerState();
            return true;
        }
    }
}
