package io.runnel.broker.record;

import io.runnel.log.LogException;
import io.runnel.log.record.RecordBatchHeader;
import org.apache.kafka.common.protocol.Errors;

import java.nio.ByteBuffer;

/**
 * Checks the records of one partition of a Produce request (v3+) before the append, as Kafka does (DESIGN.md
 * section 3; Kafka's ProduceRequest.validateRecords and LogValidator):
 * <ul>
 *   <li>exactly one batch, magic 2: otherwise INVALID_RECORD (87);</li>
 *   <li>a whole batch with a matching CRC-32C: otherwise CORRUPT_MESSAGE (2);</li>
 *   <li>no larger than {@code segment.bytes} (RECORD_LIST_TOO_LARGE, 18) and {@code max.message.bytes}
 *       (MESSAGE_TOO_LARGE, 10);</li>
 *   <li>no control batch, a producer id on a transactional batch, a record count equal to the offset range,
 *       at least one record: otherwise INVALID_RECORD;</li>
 *   <li>for CreateTime topics, record timestamps within {@link TimestampRules}: otherwise INVALID_TIMESTAMP (32).
 *       The future bound is checked on the batch's max timestamp, then both bounds on every record when the past
 *       bound is set or the topic is compacted ({@link RecordChecks});</li>
 *   <li>on a compacted topic, a key on every record: otherwise INVALID_RECORD with Kafka's message and the
 *       batch index of each keyless record ({@link RecordChecks}).</li>
 * </ul>
 * Only the leader's appends of produced batches are checked; followers append what the leader wrote.
 * Stateless and thread-safe.
 */
public final class ProduceBatchValidator {
    private ProduceBatchValidator() {
    }

    /**
     * @param records         the partition's records, position to limit (not moved)
     * @param maxMessageBytes the topic's {@code max.message.bytes}
     * @param segmentBytes    the topic's {@code segment.bytes}
     * @param rules           the topic's timestamp rules
     * @param compacted       the topic's {@code cleanup.policy} includes {@code compact}: every record needs a key
     * @param topicPartition  {@code topic-partition}, for messages
     * @param nowMs           the broker's clock
     * @return the batch header
     * @throws RecordValidationException with the error to return; nothing may be appended
     */
    public static RecordBatchHeader validate(ByteBuffer records, int maxMessageBytes, int segmentBytes,
                                             TimestampRules rules, boolean compacted, String topicPartition,
                                             long nowMs) {
        int size = records.remaining();
        int pos = records.position();
        if (size == 0) {
            throw new RecordValidationException(Errors.INVALID_RECORD, "Produce v3+ needs exactly one record batch,"
                    + " got none");
        }
        if (size <= RecordBatchHeader.LOG_OVERHEAD + 4) {
            throw new RecordValidationException(Errors.CORRUPT_MESSAGE, "a record batch of " + size
                    + " bytes is too short");
        }
        byte magic = records.get(pos + 16);
        if (magic != RecordBatchHeader.MAGIC_V2) {
            throw new RecordValidationException(Errors.INVALID_RECORD, "Produce v3+ only carries magic 2 batches,"
                    + " got magic " + magic);
        }
        RecordBatchHeader header = parse(records, pos);
        if (header.sizeInBytes() < size) {
            throw new RecordValidationException(Errors.INVALID_RECORD, "Produce v3+ needs exactly one record batch:"
                    + " the first of " + header.sizeInBytes() + " bytes is followed by " + (size - header.sizeInBytes())
                    + " more");
        }
        if (size > segmentBytes) {
            throw new RecordValidationException(Errors.RECORD_LIST_TOO_LARGE, "the batch of " + size
                    + " bytes exceeds segment.bytes=" + segmentBytes);
        }
        if (size > maxMessageBytes) {
            throw new RecordValidationException(Errors.MESSAGE_TOO_LARGE, "the batch of " + size
                    + " bytes exceeds max.message.bytes=" + maxMessageBytes);
        }
        try {
            RecordBatchHeader.validate(records, pos);
        } catch (LogException e) {
            throw new RecordValidationException(Errors.CORRUPT_MESSAGE, e.getMessage());
        }
        if (header.isControl()) {
            throw new RecordValidationException(Errors.INVALID_RECORD, "clients may not send control batches");
        }
        if (header.isTransactional() && !header.hasProducerId()) {
            throw new RecordValidationException(Errors.INVALID_RECORD, "a transactional batch needs a producer id");
        }
        if (header.recordCount() <= 0 || header.recordCount() != header.lastOffsetDelta() + 1L) {
            throw new RecordValidationException(Errors.INVALID_RECORD, "the batch holds " + header.recordCount()
                    + " records but spans " + (header.lastOffsetDelta() + 1L) + " offsets");
        }
        if (!rules.logAppendTime()) {
            checkFutureBound(header, rules, nowMs);
        }
        RecordChecks.check(records, rules, compacted, topicPartition, nowMs);
        return header;
    }

    private static RecordBatchHeader parse(ByteBuffer records, int pos) {
        try {
            return RecordBatchHeader.parse(records, pos);
        } catch (LogException e) {
            throw new RecordValidationException(Errors.CORRUPT_MESSAGE, e.getMessage());
        }
    }

    private static void checkFutureBound(RecordBatchHeader header, TimestampRules rules, long nowMs) {
        long latest = RecordChecks.saturatedAdd(nowMs, rules.afterMaxMs());
        if (header.maxTimestamp() > latest) {
            throw new RecordValidationException(Errors.INVALID_TIMESTAMP, "timestamp " + header.maxTimestamp()
                    + " is more than message.timestamp.after.max.ms=" + rules.afterMaxMs() + " ahead of " + nowMs);
        }
    }
}
