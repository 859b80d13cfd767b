package io.runnel.broker.replica;

import io.runnel.broker.record.CodecTimestampScanner;
import io.runnel.broker.record.LogBatchScanner;
import io.runnel.log.FileSlice;
import io.runnel.log.LogException;
import io.runnel.log.PartitionLog;
import io.runnel.log.TimestampLookup;
import io.runnel.log.epoch.EpochEntry;
import io.runnel.log.index.TimestampOffset;
import io.runnel.log.record.RecordBatchHeader;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;

import java.nio.ByteBuffer;

/**
 * ListOffsets for one leader partition (KIP-79; KIP-734 for MAX_TIMESTAMP): -2 earliest, -1 latest (the high
 * watermark), -3 the record with the largest timestamp, otherwise the first record at or after the timestamp. Only
 * offsets below the high watermark are answered. Stateless; reads the log without locks.
 */
final class OffsetLookup {
    private OffsetLookup() {
    }

    /**
     * ListOffsets for one partition as its leader ({@link #lookup}); NOT_LEADER_OR_FOLLOWER on a follower,
     * FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH for a stale or future {@code currentLeaderEpoch} (KIP-320).
     *
     * <p>For a consumer ({@code fromConsumer}, replica id -1), while a new leader's high watermark is still below
     * the start offset of its epoch, LATEST and a timestamp whose record is not below the high watermark get
     * OFFSET_NOT_AVAILABLE (78, retriable; KIP-207) instead of an end offset below records already acknowledged by
     * the previous leader. EARLIEST and timestamps found below the high watermark are answered as usual.
     * With {@code readCommitted} (isolation level 1, KIP-98) LATEST is the last stable offset and timestamps are
     * looked up below it.
     */
    static OffsetLookupResult asLeader(Partition p, long timestamp, int currentLeaderEpoch, boolean fromConsumer,
                                       boolean readCommitted) {
        PartitionState s = p.state();
        if (!p.isLeader()) {
            return OffsetLookupResult.error(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        Errors epochError = p.checkLeaderEpoch(currentLeaderEpoch);
        if (epochError != Errors.NONE) {
            return OffsetLookupResult.error(epochError);
        }
        boolean lagging = fromConsumer && p.highWatermarkLagsEpochStart();
        OffsetLookupResult r = lookup(p.log(), timestamp, s.leaderEpoch(),
                readCommitted ? p.lastStableOffset() : p.log().highWatermark());
        if (lagging && r.error() == Errors.NONE && timestamp != ListOffsetsRequest.EARLIEST_TIMESTAMP
                && (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP || r.offset() < 0)) {
            return OffsetLookupResult.error(Errors.OFFSET_NOT_AVAILABLE);
        }
        return r;
    }

    /**
     * @param timestamp   ms since the epoch, or one of the special values above
     * @param leaderEpoch the current leader epoch, answered with LATEST
     * @return the offset found; INVALID_REQUEST for other negative timestamps; KAFKA_STORAGE_ERROR on I/O failure
     */
    static OffsetLookupResult lookup(PartitionLog log, long timestamp, int leaderEpoch) {
        return lookup(log, timestamp, leaderEpoch, log.highWatermark());
    }

    /**
     * As {@link #lookup(PartitionLog, long, int)} with {@code hw} the end of what the reader may see: the last
     * stable offset for read_committed (KIP-98), else the high watermark.
     */
    static OffsetLookupResult lookup(PartitionLog log, long timestamp, int leaderEpoch, long hw) {
        try {
            if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP) {
                long start = log.logStartOffset();
                return new OffsetLookupResult(Errors.NONE, -1L, start, epochAt(log, start));
            }
            if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
                return new OffsetLookupResult(Errors.NONE, -1L, hw, leaderEpoch);
            }
            if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
                return maxTimestamp(log, hw);
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

    private static OffsetLookupResult maxTimestamp(PartitionLog log, long hw) {
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

    private static int epochAt(PartitionLog log, long offset) {
        int epoch = -1;
        for (EpochEntry e : log.leaderEpochCache().entries()) {
            if (e.startOffset() <= offset) {
                epoch = e.epoch();
            }
        }
        return epoch;
    }
}
