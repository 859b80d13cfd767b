package io.runnel.broker.record;

import io.runnel.log.index.TimestampOffset;
import io.runnel.log.record.RecordBatchHeader;
import io.runnel.log.record.TimestampScanner;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;

import java.nio.ByteBuffer;
import java.util.Iterator;

/**
 * A {@link TimestampScanner} that reads every codec kafka-clients knows (none, gzip, snappy, lz4, zstd), so that
 * ListOffsets by timestamp (KIP-79) gives the exact offset inside compressed batches. Keys and values are skipped,
 * not materialized. A LogAppendTime batch gives every record its max timestamp. Stateless and thread-safe.
 */
public final class CodecTimestampScanner implements TimestampScanner {
    /** The shared instance. */
    public static final CodecTimestampScanner INSTANCE = new CodecTimestampScanner();

    private CodecTimestampScanner() {
    }

    @Override
    public TimestampOffset firstAtOrAfter(ByteBuffer batch, RecordBatchHeader header, long targetTimestamp,
                                          long minOffset) {
        if (header.isLogAppendTime()) {
            return header.maxTimestamp() >= targetTimestamp && header.lastOffset() >= minOffset
                    ? new TimestampOffset(header.maxTimestamp(), Math.max(minOffset, header.baseOffset())) : null;
        }
        Iterator<MutableRecordBatch> batches = MemoryRecords.readableRecords(batch.duplicate()).batches().iterator();
        if (!batches.hasNext()) {
            return null;
        }
        try (CloseableIterator<Record> records = batches.next().skipKeyValueIterator(BufferSupplier.NO_CACHING)) {
            while (records.hasNext()) {
                Record r = records.next();
                if (r.timestamp() >= targetTimestamp && r.offset() >= minOffset) {
                    return new TimestampOffset(r.timestamp(), r.offset());
                }
            }
        }
        return null;
    }
}
