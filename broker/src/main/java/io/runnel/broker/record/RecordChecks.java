package io.runnel.broker.record;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-record checks of one produced batch, reading every record (decompressing gzip, snappy, lz4 and zstd
 * batches; keys and values are skipped, not copied), as Kafka's LogValidator checks records:
 * <ul>
 *   <li>on a compacted topic ({@code cleanup.policy} includes {@code compact}) every record needs a key, an empty
 *       one counts; a null value (a tombstone) is fine;</li>
 *   <li>on a CreateTime topic with a {@code message.timestamp.before.max.ms} bound, or on a compacted one, each
 *       record's timestamp lies within the bounds of {@link TimestampRules} (records without a timestamp, -1,
 *       are not checked).</li>
 * </ul>
 * Every failing record is named ({@link RecordError}, KIP-467; the first failing check of a record counts). Any
 * timestamp failure makes the batch's error INVALID_TIMESTAMP (32), else INVALID_RECORD (87). Stateless.
 */
final class RecordChecks {
    private RecordChecks() {
    }

    /**
     * @param records        the partition's one batch, CRC already checked, position to limit (not moved)
     * @param compacted      the topic's cleanup.policy includes compact
     * @param topicPartition {@code topic-partition}, for messages
     * @throws RecordValidationException with the failing records; CORRUPT_MESSAGE when the records cannot be read
     */
    static void check(ByteBuffer records, TimestampRules rules, boolean compacted, String topicPartition,
                      long nowMs) {
        boolean pastBound = !rules.logAppendTime() && rules.beforeMaxMs() != Long.MAX_VALUE
                && nowMs - rules.beforeMaxMs() >= 0;
        if (!compacted && !pastBound) {
            return;
        }
        boolean timestamps = !rules.logAppendTime();
        long earliest = pastBound ? nowMs - rules.beforeMaxMs() : Long.MIN_VALUE;
        long latest = saturatedAdd(nowMs, rules.afterMaxMs());
        List<RecordError> errors = new ArrayList<>();
        boolean timestampError = false;
        int index = 0;
        try (CloseableIterator<Record> it = MemoryRecords.readableRecords(records.duplicate()).batches().iterator()
                .next().skipKeyValueIterator(BufferSupplier.NO_CACHING)) {
            while (it.hasNext()) {
                Record r = it.next();
                long ts = r.timestamp();
                if (compacted && !r.hasKey()) {
                    errors.add(new RecordError(index, "Compacted topic cannot accept message without key in topic "
                            + "partition " + topicPartition + "."));
                } else if (timestamps && ts != RecordBatch.NO_TIMESTAMP && (ts < earliest || ts > latest)) {
                    timestampError = true;
                    errors.add(new RecordError(index, "Timestamp " + ts + " of message with offset " + r.offset()
                            + " is out of range. The timestamp should be within [" + earliest + ", " + latest
                            + "] (message.timestamp.before.max.ms=" + rules.beforeMaxMs()
                            + ", message.timestamp.after.max.ms=" + rules.afterMaxMs() + ")"));
                }
                index++;
            }
        } catch (KafkaException e) {
            throw new RecordValidationException(Errors.CORRUPT_MESSAGE, "cannot read the batch's records: "
                    + e.getMessage());
        }
        if (errors.isEmpty()) {
            return;
        }
        if (timestampError) {
            throw new RecordValidationException(Errors.INVALID_TIMESTAMP, "One or more records have been rejected "
                    + "due to invalid timestamp", errors);
        }
        throw new RecordValidationException(Errors.INVALID_RECORD, "One or more records have been rejected due to "
                + errors.size() + " record errors in total, and only showing the first three errors at most: "
                + errors.subList(0, Math.min(3, errors.size())), errors);
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
