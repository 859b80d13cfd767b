package io.runnel.broker.record;

import io.runnel.broker.producer.TxnMarker;
import io.runnel.log.record.RecordBatchHeader;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Transaction markers as control batches (KIP-98; the protocol guide's "Control Batches"): one record whose key is
 * {@code version i16, type i16} (0 ABORT, 1 COMMIT) and whose value is {@code version i16, coordinator_epoch i32}.
 * kafka-clients' record classes are the codec. Stateless.
 */
public final class ControlMarkers {
    private ControlMarkers() {
    }

    /**
     * A marker batch ready to append (base offset 0, rewritten by the log).
     *
     * @param timestampMs the marker's timestamp (ms)
     */
    public static ByteBuffer build(long producerId, short producerEpoch, int coordinatorEpoch, boolean commit,
                                   long timestampMs) {
        EndTransactionMarker marker = new EndTransactionMarker(commit ? ControlRecordType.COMMIT
                : ControlRecordType.ABORT, coordinatorEpoch);
        return MemoryRecords.withEndTransactionMarker(0L, timestampMs, RecordBatch.NO_PARTITION_LEADER_EPOCH,
                producerId, producerEpoch, marker).buffer();
    }

    /**
     * The marker in the control batch at {@code pos} of {@code buf} (whose header is {@code header}), or null when
     * the control batch is not a COMMIT or ABORT marker (or holds no record).
     *
     * @throws org.apache.kafka.common.InvalidRecordException when the record does not parse
     */
    public static TxnMarker read(ByteBuffer buf, int pos, RecordBatchHeader header) {
        ByteBuffer batch = buf.duplicate();
        batch.position(pos).limit(pos + header.sizeInBytes());
        MemoryRecords records = MemoryRecords.readableRecords(batch.slice());
        for (RecordBatch b : records.batches()) {
            Iterator<Record> it = b.iterator();
            if (!it.hasNext()) {
                return null;
            }
            Record r = it.next();
            ControlRecordType type = ControlRecordType.parse(r.key());
            if (type != ControlRecordType.COMMIT && type != ControlRecordType.ABORT) {
                return null;
            }
            EndTransactionMarker m = EndTransactionMarker.deserialize(r);
            return new TxnMarker(type == ControlRecordType.COMMIT, m.coordinatorEpoch());
        }
        return null;
    }

    /** Byte positions in {@code buf} (from its position to its limit) of the batches there, by base offset. */
    public static Map<Long, Integer> batchPositions(ByteBuffer buf) {
        Map<Long, Integer> positions = new HashMap<>();
        int pos = buf.position();
        while (pos + RecordBatchHeader.LOG_OVERHEAD <= buf.limit()) {
            long base = buf.getLong(pos);
            int length = buf.getInt(pos + 8);
            if (length <= 0) {
                break;
            }
            positions.put(base, pos);
            pos += RecordBatchHeader.LOG_OVERHEAD + length;
        }
        return positions;
    }
}
