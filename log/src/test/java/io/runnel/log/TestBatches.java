package io.runnel.log;

import io.runnel.log.record.RecordBatchHeader;
import io.runnel.log.record.Varint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Builds real magic-v2 record batches (uncompressed, CRC-32C) and reads logs back, for tests. */
public final class TestBatches {
    private TestBatches() {
    }

    /**
     * A batch of records with the given values and per-record timestamps (ms), base offset 0, no producer id.
     */
    public static ByteBuffer batch(long[] timestamps, byte[][] values) {
        return batch(0L, timestamps, values, -1L, (short) -1, -1);
    }

    /** A batch of {@code count} records of {@code valueSize} bytes each, all stamped {@code timestamp}. */
    public static ByteBuffer batch(int count, int valueSize, long timestamp) {
        long[] ts = new long[count];
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            ts[i] = timestamp;
            values[i] = new byte[valueSize];
            for (int j = 0; j < valueSize; j++) {
                values[i][j] = (byte) (i * 31 + j);
            }
        }
        return batch(ts, values);
    }

    /** A full-control batch builder. */
    public static ByteBuffer batch(long baseOffset, long[] timestamps, byte[][] values, long producerId,
                                   short producerEpoch, int baseSequence) {
        int n = values.length;
        long baseTs = n == 0 ? 0 : timestamps[0];
        long maxTs = RecordBatchHeader.NO_TIMESTAMP;
        int recordsSize = 0;
        for (int i = 0; i < n; i++) {
            recordsSize += recordSize(i, timestamps[i] - baseTs, values[i]);
            maxTs = Math.max(maxTs, timestamps[i]);
        }
        ByteBuffer buf = ByteBuffer.allocate(RecordBatchHeader.HEADER_SIZE + recordsSize);
        buf.putLong(baseOffset);
        buf.putInt(RecordBatchHeader.HEADER_SIZE + recordsSize - RecordBatchHeader.LOG_OVERHEAD);
        buf.putInt(0); // partition leader epoch
        buf.put(RecordBatchHeader.MAGIC_V2);
        buf.putInt(0); // crc, filled below
        buf.putShort((short) 0); // attributes: no compression, CreateTime
        buf.putInt(n - 1);
        buf.putLong(baseTs);
        buf.putLong(maxTs);
        buf.putLong(producerId);
        buf.putShort(producerEpoch);
        buf.putInt(baseSequence);
        buf.putInt(n);
        for (int i = 0; i < n; i++) {
            int body = bodySize(i, timestamps[i] - baseTs, values[i]);
            Varint.writeInt(buf, body);
            buf.put((byte) 0);
            Varint.writeLong(buf, timestamps[i] - baseTs);
            Varint.writeInt(buf, i);
            Varint.writeInt(buf, -1);
            Varint.writeInt(buf, values[i].length);
            buf.put(values[i]);
            Varint.writeInt(buf, 0);
        }
        buf.flip();
        buf.putInt(17, (int) RecordBatchHeader.computeCrc(buf, 0, buf.limit()));
        return buf;
    }

    private static int bodySize(int offsetDelta, long tsDelta, byte[] value) {
        return 1 + Varint.sizeOfLong(tsDelta) + Varint.sizeOfInt(offsetDelta) + Varint.sizeOfInt(-1)
                + Varint.sizeOfInt(value.length) + value.length + Varint.sizeOfInt(0);
    }

    private static int recordSize(int offsetDelta, long tsDelta, byte[] value) {
        int body = bodySize(offsetDelta, tsDelta, value);
        return Varint.sizeOfInt(body) + body;
    }

    /** Concatenates batches into one buffer. */
    public static ByteBuffer concat(List<ByteBuffer> batches) {
        int size = 0;
        for (ByteBuffer b : batches) {
            size += b.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ByteBuffer b : batches) {
            out.put(b.duplicate());
        }
        return out.flip();
    }

    /** Every batch from {@code from} to the log end, read slice by slice, each as its own buffer. */
    public static List<ByteBuffer> readAll(PartitionLog log, long from) throws IOException {
        List<ByteBuffer> out = new ArrayList<>();
        long next = from;
        while (next < log.logEndOffset()) {
            ByteBuffer slice = log.read(next, 64 * 1024, Long.MAX_VALUE).readAll();
            if (!slice.hasRemaining()) {
                throw new AssertionError("empty read at " + next + " below the log end " + log.logEndOffset());
            }
            out.addAll(split(slice));
            RecordBatchHeader last = RecordBatchHeader.parse(out.get(out.size() - 1), 0);
            next = last.nextOffset();
        }
        return out;
    }

    /** Splits a buffer of whole batches into one buffer per batch. */
    public static List<ByteBuffer> split(ByteBuffer batches) {
        List<ByteBuffer> out = new ArrayList<>();
        int pos = batches.position();
        while (pos < batches.limit()) {
            RecordBatchHeader h = RecordBatchHeader.parse(batches, pos);
            ByteBuffer one = batches.duplicate();
            one.position(pos).limit(pos + h.sizeInBytes());
            out.add(one.slice());
            pos += h.sizeInBytes();
        }
        return out;
    }

    /** The batch's bytes with base offset and leader epoch zeroed, to compare payloads independent of placement. */
    public static ByteBuffer payload(ByteBuffer batch) {
        ByteBuffer copy = ByteBuffer.allocate(batch.remaining()).put(batch.duplicate()).flip();
        copy.putLong(0, 0L);
        copy.putInt(12, 0);
        return copy;
    }
}
