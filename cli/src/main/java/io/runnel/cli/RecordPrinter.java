package io.runnel.cli;

import io.runnel.log.record.RecordBatchHeader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Prints the records of one batch for {@code dump-log --deep-iteration}, one line each, as Kafka's DumpLogSegments
 * does: {@code | offset: 5 CreateTime: 1700000000005 keySize: 3 valueSize: 5 sequence: 5 headerKeys: [trace]}.
 * Sizes are in bytes ({@code -1} for a null key or value); timestamps in ms since the epoch. Control batches add
 * {@code endTxnMarker: COMMIT coordinatorEpoch: N}. Uncompressed and gzip batches are decoded; for other codecs,
 * and for records that do not parse, one explanatory {@code |} line is printed instead of failing the dump.
 *
 * <p>Record v2 layout (Kafka protocol guide, "Record"): length varint, attributes i8, timestampDelta varlong,
 * offsetDelta varint, keyLength varint, key, valueLength varint, value, header count varint, then per header
 * keyLength varint, key (UTF-8), valueLength varint, value. Varints are zigzag-encoded.
 */
final class RecordPrinter {

    private static final String INDENT = "| ";
    private static final int GZIP = 1;
    private static final short ABORT = 0;
    private static final short COMMIT = 1;

    private final PrintWriter out;

    /** @param out where the record lines go */
    RecordPrinter(PrintWriter out) {
        this.out = out;
    }

    /**
     * Prints every record of the batch.
     *
     * @param header the batch's parsed header
     * @param batch the whole batch, header included, positioned at 0
     */
    void print(RecordBatchHeader header, ByteBuffer batch) {
        ByteBuffer records;
        try {
            records = recordsOf(header, batch);
        } catch (IOException e) {
            out.println(INDENT + "(records unreadable: " + header.compressionName() + " data is corrupt: "
                    + e.getMessage() + ")");
            return;
        }
        if (records == null) {
            out.println(INDENT + "(records not shown: dump-log cannot decompress " + header.compressionName() + ")");
            return;
        }
        String timestampType = SegmentDumper.timestampType(header);
        for (int i = 0; i < header.recordCount(); i++) {
            try {
                out.println(INDENT + recordLine(header, records, timestampType));
            } catch (BufferUnderflowException | IllegalArgumentException e) {
                out.println(INDENT + "(record " + i + " of " + header.recordCount() + " is malformed: "
                        + (e.getMessage() == null ? "it runs past the end of the batch" : e.getMessage()) + ")");
                return;
            }
        }
    }

    /** The records section, decompressed; {@code null} for a codec the JDK cannot read. */
    private static ByteBuffer recordsOf(RecordBatchHeader header, ByteBuffer batch) throws IOException {
        ByteBuffer raw = batch.duplicate().position(RecordBatchHeader.HEADER_SIZE).slice();
        switch (header.compressionId()) {
            case 0:
                return raw;
            case GZIP:
                byte[] compressed = new byte[raw.remaining()];
                raw.get(compressed);
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
                    return ByteBuffer.wrap(in.readAllBytes());
                }
            default:
                return null;
        }
    }

    private static String recordLine(RecordBatchHeader header, ByteBuffer in, String timestampType) {
        int length = readVarint(in);
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("length " + length + " with " + in.remaining() + " bytes left");
        }
        ByteBuffer record = in.slice().limit(length);
        in.position(in.position() + length);

        record.get(); // attributes: unused in v2
        long timestampDelta = readVarlong(record);
        int offsetDelta = readVarint(record);
        int keySize = readVarint(record);
        ByteBuffer key = skip(record, keySize);
        int valueSize = readVarint(record);
        ByteBuffer value = skip(record, valueSize);
        int headerCount = readVarint(record);
        if (headerCount < 0) {
            throw new IllegalArgumentException("negative header count " + headerCount);
        }
        List<String> headerKeys = new ArrayList<>();
        for (int h = 0; h < headerCount; h++) {
            int keyLength = readVarint(record);
            ByteBuffer headerKey = skip(record, keyLength);
            headerKeys.add(headerKey == null ? "null" : utf8(headerKey));
            skip(record, readVarint(record));
        }

        long timestamp = header.isLogAppendTime() ? header.maxTimestamp() : header.baseTimestamp() + timestampDelta;
        StringBuilder line = new StringBuilder()
                .append("offset: ").append(header.baseOffset() + offsetDelta)
                .append(' ').append(timestampType).append(": ").append(timestamp)
                .append(" keySize: ").append(keySize)
                .append(" valueSize: ").append(valueSize)
                .append(" sequence: ").append(sequence(header.baseSequence(), offsetDelta))
                .append(" headerKeys: [").append(String.join(",", headerKeys)).append(']');
        if (header.isControl()) {
            line.append(controlSuffix(key, value));
        }
        return line.toString();
    }

    /** Kafka's {@code endTxnMarker} text for ABORT/COMMIT control records, or the raw control type otherwise. */
    private static String controlSuffix(ByteBuffer key, ByteBuffer value) {
        if (key == null || key.remaining() < 4) {
            return " controlType: unknown";
        }
        short type = key.getShort(key.position() + 2);
        if ((type == ABORT || type == COMMIT) && value != null && value.remaining() >= 6) {
            int coordinatorEpoch = value.getInt(value.position() + 2);
            return " endTxnMarker: " + (type == COMMIT ? "COMMIT" : "ABORT") + " coordinatorEpoch: " + coordinatorEpoch;
        }
        return " controlType: " + type;
    }

    /** The sequence of the record {@code delta} after the base, wrapping as Kafka does; -1 without idempotence. */
    private static int sequence(int baseSequence, int delta) {
        if (baseSequence == RecordBatchHeader.NO_SEQUENCE) {
            return RecordBatchHeader.NO_SEQUENCE;
        }
        long s = (long) baseSequence + delta;
        return (int) (s > Integer.MAX_VALUE ? s - Integer.MAX_VALUE - 1 : s);
    }

    /** Consumes {@code size} bytes and returns them as a view, or {@code null} when {@code size} is -1 (null). */
    private static ByteBuffer skip(ByteBuffer buf, int size) {
        if (size < 0) {
            if (size != -1) {
                throw new IllegalArgumentException("negative size " + size);
            }
            return null;
        }
        if (size > buf.remaining()) {
            throw new IllegalArgumentException("field of " + size + " bytes with " + buf.remaining() + " left");
        }
        ByteBuffer view = buf.slice().limit(size);
        buf.position(buf.position() + size);
        return view;
    }

    private static String utf8(ByteBuffer bytes) {
        byte[] b = new byte[bytes.remaining()];
        bytes.duplicate().get(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Reads a zigzag varint (at most 5 bytes). */
    static int readVarint(ByteBuffer buf) {
        int raw = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = buf.get();
            raw |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new IllegalArgumentException("varint longer than 5 bytes");
    }

    /** Reads a zigzag varlong (at most 10 bytes). */
    static long readVarlong(ByteBuffer buf) {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = buf.get();
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new IllegalArgumentException("varlong longer than 10 bytes");
    }
}
