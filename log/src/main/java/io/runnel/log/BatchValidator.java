package io.runnel.log;

import io.runnel.log.record.RecordBatchHeader;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the batches of one append before any byte is written (Kafka's LogValidator, the structural part): every
 * batch is whole, magic 2 with a matching CRC-32C, no larger than {@code max.message.bytes}, and the append no larger
 * than {@code segment.bytes}. Leader appends also need a record count equal to the offset range, as producers write.
 */
final class BatchValidator {
    /** The validated batches: headers and their byte positions relative to the buffer's position. */
    record Validated(List<RecordBatchHeader> headers, int[] positions) {
        /**
         * As the leader: rewrites each batch's base offset (contiguous from {@code firstOffset}) and leader epoch in
         * {@code records}, outside the CRC.
         *
         * @return the rewritten headers
         */
        List<RecordBatchHeader> assignOffsets(ByteBuffer records, long firstOffset, int leaderEpoch) {
            long next = firstOffset;
            List<RecordBatchHeader> assigned = new ArrayList<>(headers.size());
            for (int i = 0; i < headers.size(); i++) {
                int at = records.position() + positions[i];
                RecordBatchHeader.setBaseOffset(records, at, next);
                RecordBatchHeader.setPartitionLeaderEpoch(records, at, leaderEpoch);
                RecordBatchHeader h = RecordBatchHeader.parse(records, at);
                assigned.add(h);
                next = h.nextOffset();
            }
            return assigned;
        }

        /**
         * As a follower: checks the leader's offsets start at or above {@code logEndOffset} and rise from batch to
         * batch. Gaps are allowed, as in Kafka's follower append (UnifiedLog, {@code validateAndAssignOffsets=false}):
         * the leader's log has them where the cleaner removed whole batches (KIP-58 compaction, KIP-534 markers).
         *
         * @throws LogException UNKNOWN_SERVER_ERROR when a batch starts below the log end offset or at or below the
         *                      previous batch's last offset (Kafka's UnexpectedAppendOffsetException and
         *                      OffsetsOutOfOrderException)
         */
        void checkContinues(long logEndOffset) {
            long expected = logEndOffset;
            for (RecordBatchHeader h : headers) {
                if (h.baseOffset() < expected) {
                    throw new LogException(LogError.UNKNOWN_SERVER_ERROR, "follower batch at offset "
                            + h.baseOffset() + " is below the log's next offset " + expected);
                }
                expected = h.nextOffset();
            }
        }
    }

    private BatchValidator() {
    }

    static Validated validate(ByteBuffer records, LogConfig config, boolean fromClient) {
        int total = records.remaining();
        if (total == 0) {
            throw new LogException(LogError.INVALID_RECORD, "the append holds no record batch");
        }
        if (total > config.segmentBytes()) {
            throw new LogException(LogError.RECORD_LIST_TOO_LARGE, "the append of " + total
                    + " bytes exceeds segment.bytes=" + config.segmentBytes());
        }
        List<RecordBatchHeader> headers = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        int base = records.position();
        int pos = base;
        while (pos < records.limit()) {
            RecordBatchHeader h = RecordBatchHeader.validate(records, pos);
            if (h.sizeInBytes() > config.maxMessageBytes()) {
                throw new LogException(LogError.MESSAGE_TOO_LARGE, "record batch of " + h.sizeInBytes()
                        + " bytes exceeds max.message.bytes=" + config.maxMessageBytes());
            }
            if (h.lastOffsetDelta() < 0) {
                throw new LogException(LogError.CORRUPT_MESSAGE, "record batch has a negative last offset delta");
            }
            if (fromClient && (h.recordCount() == 0 || h.recordCount() != h.lastOffsetDelta() + 1)) {
                throw new LogException(LogError.INVALID_RECORD, "record batch holds " + h.recordCount()
                        + " records but spans " + (h.lastOffsetDelta() + 1L) + " offsets");
            }
            headers.add(h);
            positions.add(pos - base);
            pos += h.sizeInBytes();
        }
        int[] rel = new int[positions.size()];
        for (int i = 0; i < rel.length; i++) {
            rel[i] = positions.get(i);
        }
        return new Validated(headers, rel);
    }
}
