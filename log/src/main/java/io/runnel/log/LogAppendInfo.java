package io.runnel.log;

import io.runnel.log.record.RecordBatchHeader;

import java.util.List;

/**
 * What an append wrote.
 *
 * @param firstOffset          offset of the first record appended
 * @param lastOffset           offset of the last record appended
 * @param maxTimestamp         largest batch max timestamp (ms), or -1
 * @param offsetOfMaxTimestamp last offset of the batch carrying {@code maxTimestamp}
 * @param recordCount          records appended
 * @param validBytes           bytes appended
 * @param batches              the appended batches' headers, with their final offsets and leader epochs
 */
public record LogAppendInfo(long firstOffset, long lastOffset, long maxTimestamp, long offsetOfMaxTimestamp,
                            int recordCount, int validBytes, List<RecordBatchHeader> batches) {

    /** Sums up appended batches (non-empty, in offset order) of {@code validBytes} bytes in all. */
    static LogAppendInfo of(List<RecordBatchHeader> batches, int validBytes) {
        long maxTs = RecordBatchHeader.NO_TIMESTAMP;
        long offsetOfMaxTs = batches.get(0).lastOffset();
        int count = 0;
        for (RecordBatchHeader h : batches) {
            if (h.maxTimestamp() > maxTs) {
                maxTs = h.maxTimestamp();
                offsetOfMaxTs = h.lastOffset();
            }
            count += h.recordCount();
        }
        return new LogAppendInfo(batches.get(0).baseOffset(), batches.get(batches.size() - 1).lastOffset(), maxTs,
                offsetOfMaxTs, count, validBytes, List.copyOf(batches));
    }
}
