package io.runnel.log.record;

import io.runnel.log.LogError;
import io.runnel.log.LogException;
import io.runnel.log.compress.CompressionCodec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the records of a v2 batch and encodes new batches (Kafka protocol guide, "Record Batch" and "Record"), for
 * the log cleaner: it reads gzip, snappy, lz4 and zstd batches through {@link CompressionCodec} and writes a rewritten
 * batch with the same codec, producer id, epoch, base sequence, leader epoch, base offset and last offset delta, so
 * offsets and idempotent-producer state survive a cleaning (Kafka keeps them the same way).
 */
public final class BatchCodec {
    /** Attribute bit 6: the batch's base timestamp is the delete horizon of its tombstones (KIP-534). */
    public static final int DELETE_HORIZON_FLAG = 0x40;

    private BatchCodec() {
    }

    /**
     * The records of the batch starting at position 0 of {@code batch}, whose header is {@code header}.
     *
     * @throws LogException CORRUPT_MESSAGE when the records do not decode or their count differs from the header's
     */
    public static List<LogRecord> records(ByteBuffer batch, RecordBatchHeader header) {
        ByteBuffer body = batch.duplicate();
        body.position(RecordBatchHeader.HEADER_SIZE).limit(header.sizeInBytes());
        ByteBuffer plain;
        try {
            plain = CompressionCodec.ofId(header.compressionId()).decompress(body.slice());
        } catch (IOException | IllegalArgumentException e) {
            throw new LogException(LogError.CORRUPT_MESSAGE, "batch at offset " + header.baseOffset()
                    + " does not decompress: " + e.getMessage(), e);
        }
        List<LogRecord> out = new ArrayList<>(Math.max(0, header.recordCount()));
        try {
            for (int i = 0; i < header.recordCount(); i++) {
                out.add(readRecord(plain, header));
            }
        } catch (RuntimeException e) {
            throw new LogException(LogError.CORRUPT_MESSAGE, "record " + out.size() + " of batch at offset "
                    + header.baseOffset() + " does not decode: " + e.getMessage(), e);
        }
        return out;
    }

    /** Receives each keyed record's key (a view, valid during the call) and absolute offset. */
    @FunctionalInterface
    public interface KeyConsumer {
        void accept(ByteBuffer key, long offset);
    }

    /**
     * Calls {@code consumer} for every record with a key in the batch at position 0 of {@code batch}, decoding only
     * lengths, offsets and keys (the cleaner's offset-map pass).
     *
     * @throws LogException CORRUPT_MESSAGE when the records do not decode
     */
    public static void forEachKey(ByteBuffer batch, RecordBatchHeader header, KeyConsumer consumer) {
        ByteBuffer body = batch.duplicate();
        body.position(RecordBatchHeader.HEADER_SIZE).limit(header.sizeInBytes());
        ByteBuffer in;
        try {
            in = CompressionCodec.ofId(header.compressionId()).decompress(body.slice());
        } catch (IOException | IllegalArgumentException e) {
            throw new LogException(LogError.CORRUPT_MESSAGE, "batch at offset " + header.baseOffset()
                    + " does not decompress: " + e.getMessage(), e);
        }
        ByteBuffer key = in.duplicate();
        try {
            for (int i = 0; i < header.recordCount(); i++) {
                int length = Varint.readInt(in);
                int end = in.position() + length;
                in.get();
                Varint.readLong(in);
                long offset = header.baseOffset() + Varint.readInt(in);
                int keyLength = Varint.readInt(in);
                if (keyLength >= 0) {
                    key.limit(in.position() + keyLength).position(in.position());
                    consumer.accept(key, offset);
                    key.limit(key.capacity());
                }
                in.position(end);
            }
        } catch (RuntimeException e) {
            throw new LogException(LogError.CORRUPT_MESSAGE, "a record of batch at offset " + header.baseOffset()
                    + " does not decode: " + e.getMessage(), e);
        }
    }

    private static LogRecord readRecord(ByteBuffer in, RecordBatchHeader h) {
        int length = Varint.readInt(in);
        int end = in.position() + length;
        if (length < 0 || end > in.limit()) {
            throw new IllegalStateException("record length " + length + " passes the batch end");
        }
        in.get(); // record attributes: unused in v2
        long timestamp = h.baseTimestamp() + Varint.readLong(in);
        long offset = h.baseOffset() + Varint.readInt(in);
        ByteBuffer key = readBytes(in);
        ByteBuffer value = readBytes(in);
        ByteBuffer headers = in.slice(in.position(), end - in.position()).asReadOnlyBuffer();
        in.position(end);
        return new LogRecord(offset, h.isLogAppendTime() ? h.maxTimestamp() : timestamp, key, value, headers);
    }

    private static ByteBuffer readBytes(ByteBuffer in) {
        int len = Varint.readInt(in);
        if (len < 0) {
            return null;
        }
        ByteBuffer b = in.slice(in.position(), len).asReadOnlyBuffer();
        in.position(in.position() + len);
        return b;
    }

    /**
     * A new batch holding {@code records} in the place of the batch {@code original}: same base offset, last offset
     * delta, leader epoch, attributes (codec, timestamp type, transactional, control), producer id, epoch and base
     * sequence. With {@code deleteHorizonMs} >= 0 the batch carries that delete horizon as its base timestamp and sets
     * {@link #DELETE_HORIZON_FLAG} (KIP-534); otherwise it keeps the original's base timestamp and horizon flag.
     * No records gives Kafka's empty batch, which keeps a producer's last sequence in the log.
     *
     * @return the encoded batch, position 0 to limit, CRC set
     * @throws IOException when compressing fails
     */
    public static ByteBuffer rebuild(RecordBatchHeader original, List<LogRecord> records, long deleteHorizonMs)
            throws IOException {
        int attributes = original.attributes() & 0xffff;
        long baseTimestamp = original.baseTimestamp();
        if (deleteHorizonMs >= 0) {
            attributes |= DELETE_HORIZON_FLAG;
            baseTimestamp = deleteHorizonMs;
        }
        long maxTimestamp = original.isLogAppendTime() ? original.maxTimestamp() : RecordBatchHeader.NO_TIMESTAMP;
        int plainSize = 0;
        for (LogRecord r : records) {
            plainSize += r.sizeInBatch(original.baseOffset(), baseTimestamp);
            if (!original.isLogAppendTime()) {
                maxTimestamp = Math.max(maxTimestamp, r.timestamp());
            }
        }
        if (records.isEmpty()) {
            maxTimestamp = original.maxTimestamp();
        }
        ByteBuffer plain = ByteBuffer.allocate(plainSize);
        for (LogRecord r : records) {
            r.writeTo(plain, original.baseOffset(), baseTimestamp);
        }
        plain.flip();
        byte[] body = CompressionCodec.ofId(original.compressionId()).compress(plain);
        if (records.isEmpty()) {
            body = new byte[0];
        }
        ByteBuffer out = ByteBuffer.allocate(RecordBatchHeader.HEADER_SIZE + body.length);
        out.putLong(original.baseOffset());
        out.putInt(RecordBatchHeader.HEADER_SIZE - RecordBatchHeader.LOG_OVERHEAD + body.length);
        out.putInt(original.partitionLeaderEpoch());
        out.put(RecordBatchHeader.MAGIC_V2);
        out.putInt(0);
        out.putShort((short) attributes);
        out.putInt(original.lastOffsetDelta());
        out.putLong(baseTimestamp);
        out.putLong(maxTimestamp);
        out.putLong(original.producerId());
        out.putShort(original.producerEpoch());
        out.putInt(original.baseSequence());
        out.putInt(records.size());
        out.put(body);
        out.flip();
        long crc = RecordBatchHeader.computeCrc(out, 0, out.limit());
        out.putInt(RecordBatchHeader.CRC_POS, (int) crc);
        return out;
    }

    /** The delete horizon of a batch (ms), or -1 when its base timestamp is not one (KIP-534). */
    public static long deleteHorizonMs(RecordBatchHeader h) {
        return (h.attributes() & DELETE_HORIZON_FLAG) != 0 ? h.baseTimestamp() : -1L;
    }
}
