package io.runnel.log;

import io.runnel.log.record.BatchReader;
import io.runnel.log.record.RecordBatchHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Walks a segment file batch by batch after an unclean shutdown, rebuilding its indexes, and cuts the file at the
 * first batch that is partial, has a bad CRC, a wrong magic, or breaks offset order (Kafka's LogSegment recovery).
 * What remains is exactly the batches that were wholly written.
 */
final class SegmentRecovery {
    private SegmentRecovery() {
    }

    /**
     * Scans {@code segment} from its first byte.
     *
     * @param maxBatchBytes a batch larger than this is treated as garbage (bytes)
     * @param onBatch       told of every batch kept, in order (e.g. to rebuild the leader-epoch cache)
     * @param validate      check CRCs and cut at the first bad batch; false only re-indexes a trusted file
     * @return bytes cut from the end of the file
     */
    static int scan(LogSegment segment, int maxBatchBytes, Consumer<RecordBatchHeader> onBatch, boolean validate)
            throws IOException {
        long fileSize = segment.channel().size();
        int limit = (int) Math.min(fileSize, Integer.MAX_VALUE);
        BatchReader reader = new BatchReader(segment.channel(), limit);
        segment.resetIndexes();
        int pos = 0;
        long next = segment.baseOffset();
        while (pos < limit) {
            RecordBatchHeader h = reader.headerAt(pos);
            if (h == null || !plausible(h, pos, limit, next, segment.baseOffset(), maxBatchBytes)) {
                break;
            }
            if (validate) {
                ByteBuffer batch = reader.readFully(pos, h.sizeInBytes());
                if (RecordBatchHeader.computeCrc(batch, 0, h.sizeInBytes()) != h.crc()) {
                    break;
                }
            }
            segment.indexScannedBatch(h, pos);
            onBatch.accept(h);
            next = h.nextOffset();
            pos += h.sizeInBytes();
        }
        int cut = (int) (fileSize - pos);
        segment.truncateAfterScan(pos, next);
        return cut;
    }

    private static boolean plausible(RecordBatchHeader h, int pos, int limit, long expectedMin, long base,
                                     int maxBatchBytes) {
        return h.magic() == RecordBatchHeader.MAGIC_V2
                && h.batchLength() >= RecordBatchHeader.HEADER_SIZE - RecordBatchHeader.LOG_OVERHEAD
                && h.sizeInBytes() <= maxBatchBytes
                && (long) pos + h.sizeInBytes() <= limit
                && h.lastOffsetDelta() >= 0
                && h.recordCount() >= 0
                && h.baseOffset() >= expectedMin
                && h.lastOffset() - base <= Integer.MAX_VALUE;
    }
}
