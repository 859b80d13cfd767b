package io.runnel.log.record;

import io.runnel.log.LogError;
import io.runnel.log.LogException;

import java.nio.ByteBuffer;

/**
 * Zig-zag variable-length integers as in Protocol Buffers, used by Kafka's v2 records (Kafka protocol guide,
 * "Record"): at most 5 bytes for an int, 10 for a long.
 */
public final class Varint {
    private Varint() {
    }

    /** Reads a zig-zag varint. @throws LogException CORRUPT_MESSAGE if longer than 5 bytes or cut short */
    public static int readInt(ByteBuffer buf) {
        long raw = readRaw(buf, 5);
        int v = (int) raw;
        return (v >>> 1) ^ -(v & 1);
    }

    /** Reads a zig-zag varlong. @throws LogException CORRUPT_MESSAGE if longer than 10 bytes or cut short */
    public static long readLong(ByteBuffer buf) {
        long raw = readRaw(buf, 10);
        return (raw >>> 1) ^ -(raw & 1);
    }

    private static long readRaw(ByteBuffer buf, int maxBytes) {
        long value = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (!buf.hasRemaining()) {
                throw new LogException(LogError.CORRUPT_MESSAGE, "varint cut short");
            }
            byte b = buf.get();
            value |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new LogException(LogError.CORRUPT_MESSAGE, "varint longer than " + maxBytes + " bytes");
    }

    /** Writes {@code value} as a zig-zag varint. */
    public static void writeInt(ByteBuffer buf, int value) {
        writeRaw(buf, ((long) ((value << 1) ^ (value >> 31))) & 0xffffffffL);
    }

    /** Writes {@code value} as a zig-zag varlong. */
    public static void writeLong(ByteBuffer buf, long value) {
        writeRaw(buf, (value << 1) ^ (value >> 63));
    }

    private static void writeRaw(ByteBuffer buf, long v) {
        while ((v & ~0x7fL) != 0) {
            buf.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buf.put((byte) v);
    }

    /** Bytes {@link #writeInt} uses for {@code value}. */
    public static int sizeOfInt(int value) {
        long v = ((long) ((value << 1) ^ (value >> 31))) & 0xffffffffL;
        int n = 1;
        while ((v & ~0x7fL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    /** Bytes {@link #writeLong} uses for {@code value}. */
    public static int sizeOfLong(long value) {
        long v = (value << 1) ^ (value >> 63);
        int n = 1;
        while ((v & ~0x7fL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }
}
