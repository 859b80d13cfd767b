package io.runnel.log.record;

import io.runnel.log.index.TimestampOffset;

import java.nio.ByteBuffer;

/**
 * A {@link TimestampScanner} that reads the records of uncompressed v2 batches (Kafka protocol guide, "Record":
 * length varint, attributes i8, timestampDelta varlong, offsetDelta varint, ...; zig-zag varints). A LogAppendTime
 * batch gives every record its max timestamp. A compressed CreateTime batch, which this module cannot decompress, is
 * answered with its first offset and its max timestamp: an offset no later than the exact one.
 */
public final class UncompressedTimestampScanner implements TimestampScanner {
    /** The shared instance; it holds no state. */
    public static final UncompressedTimestampScanner INSTANCE = new UncompressedTimestampScanner();

    private UncompressedTimestampScanner() {
    }

    @Override
    public TimestampOffset firstAtOrAfter(ByteBuffer batch, RecordBatchHeader header, long targetTimestamp,
                                          long minOffset) {
        if (header.isLogAppendTime() || header.compressionId() != 0) {
            return header.maxTimestamp() >= targetTimestamp && header.lastOffset() >= minOffset
                    ? new TimestampOffset(header.maxTimestamp(), Math.max(minOffset, header.baseOffset())) : null;
        }
        ByteBuffer buf = batch.duplicate();
        buf.position(RecordBatchHeader.HEADER_SIZE);
        for (int i = 0; i < header.recordCount() && buf.hasRemaining(); i++) {
            int length = Varint.readInt(buf);
            int recordStart = buf.position();
            buf.get(); // attributes
            long timestamp = header.baseTimestamp() + Varint.readLong(buf);
            int offsetDelta = Varint.readInt(buf);
            if (timestamp >= targetTimestamp && header.baseOffset() + offsetDelta >= minOffset) {
                return new TimestampOffset(timestamp, header.baseOffset() + offsetDelta);
            }
            buf.position(recordStart + length);
        }
        return null;
    }
}
