package io.runnel.log.record;

import java.nio.ByteBuffer;

/**
 * One record of a v2 batch, decoded (Kafka protocol guide, "Record"): absolute offset and timestamp, key and value
 * (null when absent: a null value on a compacted topic is a tombstone), and the record's headers kept as their encoded
 * bytes (count varint and entries), since the cleaner never changes them. Buffers are read-only views.
 *
 * @param offset    absolute offset
 * @param timestamp ms since the epoch (the batch's base timestamp plus the record's delta)
 * @param key       the key, or null
 * @param value     the value, or null (a tombstone)
 * @param headers   encoded headers: varint count then the entries
 */
public record LogRecord(long offset, long timestamp, ByteBuffer key, ByteBuffer value, ByteBuffer headers) {

    /** True for a record with a key and no value (Kafka's delete marker on compacted topics). */
    public boolean isTombstone() {
        return value == null;
    }

    /** Bytes this record takes when written with the given base offset and base timestamp. */
    int sizeInBatch(long baseOffset, long baseTimestamp) {
        int body = bodySize(baseOffset, baseTimestamp);
        return Varint.sizeOfInt(body) + body;
    }

    private int bodySize(long baseOffset, long baseTimestamp) {
        int size = 1 + Varint.sizeOfLong(timestamp - baseTimestamp) + Varint.sizeOfInt((int) (offset - baseOffset));
        size += key == null ? Varint.sizeOfInt(-1) : Varint.sizeOfInt(key.remaining()) + key.remaining();
        size += value == null ? Varint.sizeOfInt(-1) : Varint.sizeOfInt(value.remaining()) + value.remaining();
        return size + headers.remaining();
    }

    /** Writes the record relative to {@code baseOffset} and {@code baseTimestamp}. */
    void writeTo(ByteBuffer out, long baseOffset, long baseTimestamp) {
        Varint.writeInt(out, bodySize(baseOffset, baseTimestamp));
        out.put((byte) 0);
        Varint.writeLong(out, timestamp - baseTimestamp);
        Varint.writeInt(out, (int) (offset - baseOffset));
        writeBytes(out, key);
        writeBytes(out, value);
        out.put(headers.duplicate());
    }

    private static void writeBytes(ByteBuffer out, ByteBuffer b) {
        if (b == null) {
            Varint.writeInt(out, -1);
        } else {
            Varint.writeInt(out, b.remaining());
            out.put(b.duplicate());
        }
    }
}
