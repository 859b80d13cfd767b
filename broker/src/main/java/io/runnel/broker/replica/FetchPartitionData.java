package io.runnel.broker.replica;

import io.runnel.log.AbortedTxn;
import java.util.List;

import io.runnel.log.FileSlice;
import io.runnel.log.epoch.EpochEndOffset;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * What a Fetch returns for one partition.
 *
 * @param tp               the partition
 * @param error            NONE, NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, OFFSET_OUT_OF_RANGE,
 *                         FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH, KAFKA_STORAGE_ERROR
 * @param highWatermark    the high watermark, -1 on error (set with OFFSET_OUT_OF_RANGE)
 * @param lastStableOffset equal to the high watermark (no transactions), -1 on error
 * @param logStartOffset   the log start offset, -1 on error (set with OFFSET_OUT_OF_RANGE)
 * @param records          whole batches (below the high watermark for consumers), possibly empty
 * @param leaderId         the leader the image names (for {@code current_leader} on leadership errors), or -1
 * @param leaderEpoch      its epoch, or -1
 * @param abortedTransactions for a read_committed fetch, the aborted transactions overlapping the records (Fetch
 *                         {@code aborted_transactions}); null otherwise
 * @param divergingEpoch   for a follower whose log diverged: the leader's largest epoch at most the follower's last
 *                         fetched epoch and that epoch's end offset (Fetch v12 {@code diverging_epoch}); else null
 */
public record FetchPartitionData(TopicPartition tp, Errors error, long highWatermark, long lastStableOffset,
                                 long logStartOffset, FileSlice records, int leaderId, int leaderEpoch,
                                 EpochEndOffset divergingEpoch, List<AbortedTxn> abortedTransactions) {
    /** A failed partition. */
    public static FetchPartitionData error(TopicPartition tp, Errors error, int leaderId, int leaderEpoch) {
        return new FetchPartitionData(tp, error, -1L, -1L, -1L, FileSlice.EMPTY, leaderId, leaderEpoch, null, null);
    }

    /** OFFSET_OUT_OF_RANGE, telling the fetcher where the log starts and how far it is committed. */
    public static FetchPartitionData outOfRange(TopicPartition tp, long highWatermark, long logStartOffset,
                                                int leaderId, int leaderEpoch) {
        return new FetchPartitionData(tp, Errors.OFFSET_OUT_OF_RANGE, highWatermark, highWatermark, logStartOffset,
                FileSlice.EMPTY, leaderId, leaderEpoch, null, null);
    }

    /** No records: the follower must truncate where {@code divergingEpoch} says first. */
    public static FetchPartitionData diverging(TopicPartition tp, long highWatermark, long logStartOffset,
                                               EpochEndOffset divergingEpoch, int leaderId, int leaderEpoch) {
        return new FetchPartitionData(tp, Errors.NONE, highWatermark, highWatermark, logStartOffset,
                FileSlice.EMPTY, leaderId, leaderEpoch, divergingEpoch, null);
    }
}
