package io.runnel.log.record;

import io.runnel.log.index.TimestampOffset;

import java.nio.ByteBuffer;

/**
 * Finds, inside one batch, the first record whose timestamp is at least a target (ListOffsets by timestamp, KIP-79).
 * The log parses uncompressed batches itself; the broker, which holds the codecs, supplies a scanner that also
 * decompresses.
 */
public interface TimestampScanner {
    /**
     * @param batch  the whole batch, position 0 at its first byte
     * @param header its parsed header; {@code header.maxTimestamp() >= targetTimestamp}
     * @param targetTimestamp ms since the epoch
     * @param minOffset records below this offset are skipped (the log start offset)
     * @return {@code (timestamp, offset)} of the first record at or after the target and {@code minOffset}, or null
     */
    TimestampOffset firstAtOrAfter(ByteBuffer batch, RecordBatchHeader header, long targetTimestamp, long minOffset);
}
