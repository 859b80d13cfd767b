package io.runnel.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.GZIPOutputStream;

/** Builds Kafka v2 record batches byte by byte, independently of the code under test. */
final class TestBatches {

    /** A record: key and value may be null; offsetDelta and timestampDelta (ms) are relative to the batch. */
    record Rec(String key, String value, List<String> headerKeys) {
        Rec(String key, String value) {
            this(key, value, List.of());
        }
    }

    private TestBatches() {}

    /**
     * A batch with record i at offsetDelta i and timestampDelta i ms.
     *
     * @param attributes raw attribute bits (codec in bits 0-2, 1 = gzip is compressed here)
     */
    static byte[] batch(long baseOffset, int leaderEpoch, long baseTimestamp, long producerId, short producerEpoch,
            int baseSequence, int attributes, List<Rec> records) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < records.size(); i++) {
            byte[] r = record(i, records.get(i));
            writeVarint(body, r.length);
            body.writeBytes(r);
        }
        byte[] recordBytes = body.toByteArray();
        if ((attributes & 7) == 1) {
            recordBytes = gzip(recordBytes);
        }
        int size = 61 + recordBytes.length;
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putLong(baseOffset).putInt(size - 12).putInt(leaderEpoch).put((byte) 2).putInt(0)
                .putShort((short) attributes).putInt(records.size() - 1)
                .putLong(baseTimestamp).putLong(baseTimestamp + records.size() - 1)
                .putLong(producerId).putShort(producerEpoch).putInt(baseSequence).putInt(records.size())
                .put(recordBytes);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 21, size - 21);
        b.putInt(17, (int) crc.getValue());
        return b.array();
    }

    /** The CRC field of a batch built above, unsigned. */
    static long crcOf(byte[] batch) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(batch).getInt(17));
    }

    private static byte[] record(int index, Rec rec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0); // attributes
        writeVarint(out, index); // timestampDelta (a varlong; small values encode the same)
        writeVarint(out, index); // offsetDelta
        writeBytes(out, rec.key());
        writeBytes(out, rec.value());
        writeVarint(out, rec.headerKeys().size());
        for (String h : rec.headerKeys()) {
            writeBytes(out, h);
            writeBytes(out, "v");
        }
        return out.toByteArray();
    }

    private static void writeBytes(ByteArrayOutputStream out, String s) {
        if (s == null) {
            writeVarint(out, -1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeVarint(out, b.length);
        out.writeBytes(b);
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & ~0x7f) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
