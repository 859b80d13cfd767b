package io.runnel.log.record;

import io.runnel.log.LogError;
import io.runnel.log.LogException;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The fixed 61-byte header of a Kafka record batch, magic v2 (Kafka protocol guide, "Record Batch"; KIP-98).
 *
 * <p>Layout, big-endian, byte positions relative to the batch start:
 * <pre>
 *  0 baseOffset i64        8 batchLength i32 (bytes after this field)   12 partitionLeaderEpoch i32
 * 16 magic i8             17 crc u32 (CRC-32C of bytes 21..end)         21 attributes i16
 * 23 lastOffsetDelta i32  27 baseTimestamp i64   35 maxTimestamp i64     43 producerId i64
 * 51 producerEpoch i16    53 baseSequence i32    57 recordCount i32      61 records...
 * </pre>
 * The broker rewrites {@code baseOffset} and {@code partitionLeaderEpoch} in place; the CRC does not cover them.
 * Instances are immutable snapshots of the header bytes at parse time.
 */
public record RecordBatchHeader(
        long baseOffset,
        int batchLength,
        int partitionLeaderEpoch,
        byte magic,
        long crc,
        short attributes,
        int lastOffsetDelta,
        long baseTimestamp,
        long maxTimestamp,
        long producerId,
        short producerEpoch,
        int baseSequence,
        int recordCount) {

    /** Bytes in the header, up to the first record. */
    public static final int HEADER_SIZE = 61;
    /** Bytes before {@code batchLength}'s coverage starts: baseOffset (8) + batchLength (4). */
    public static final int LOG_OVERHEAD = 12;
    /** The only record-batch format Runnel stores. */
    public static final byte MAGIC_V2 = 2;
    /** Producer id of a batch written without idempotence. */
    public static final long NO_PRODUCER_ID = -1L;
    /** Sequence of a batch written without idempotence. */
    public static final int NO_SEQUENCE = -1;
    /** Leader epoch meaning "none assigned" (Kafka's RecordBatch.NO_PARTITION_LEADER_EPOCH). */
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    /** Timestamp meaning "none" (Kafka's RecordBatch.NO_TIMESTAMP). */
    public static final long NO_TIMESTAMP = -1L;

    static final int BASE_OFFSET_POS = 0;
    static final int LENGTH_POS = 8;
    static final int LEADER_EPOCH_POS = 12;
    static final int MAGIC_POS = 16;
    static final int CRC_POS = 17;
    static final int ATTRIBUTES_POS = 21;
    static final int LAST_OFFSET_DELTA_POS = 23;
    static final int BASE_TIMESTAMP_POS = 27;
    static final int MAX_TIMESTAMP_POS = 35;
    static final int PRODUCER_ID_POS = 43;
    static final int PRODUCER_EPOCH_POS = 51;
    static final int BASE_SEQUENCE_POS = 53;
    static final int RECORD_COUNT_POS = 57;

    private static final int COMPRESSION_MASK = 0x07;
    private static final int TIMESTAMP_TYPE_MASK = 0x08;
    private static final int TRANSACTIONAL_MASK = 0x10;
    private static final int CONTROL_MASK = 0x20;

    /**
     * Parses the header at absolute position {@code pos} of {@code buf} without moving its position.
     * Checks only that 61 bytes are there; use {@link #validate} for magic, length and CRC.
     *
     * @throws LogException CORRUPT_MESSAGE if fewer than {@link #HEADER_SIZE} bytes remain after {@code pos}
     */
    public static RecordBatchHeader parse(ByteBuffer buf, int pos) {
        if (buf.limit() - pos < HEADER_SIZE) {
            throw new LogException(LogError.CORRUPT_MESSAGE,
                    "record batch header needs " + HEADER_SIZE + " bytes, " + (buf.limit() - pos) + " remain");
        }
        return new RecordBatchHeader(
                buf.getLong(pos + BASE_OFFSET_POS),
                buf.getInt(pos + LENGTH_POS),
                buf.getInt(pos + LEADER_EPOCH_POS),
                buf.get(pos + MAGIC_POS),
                Integer.toUnsignedLong(buf.getInt(pos + CRC_POS)),
                buf.getShort(pos + ATTRIBUTES_POS),
                buf.getInt(pos + LAST_OFFSET_DELTA_POS),
                buf.getLong(pos + BASE_TIMESTAMP_POS),
                buf.getLong(pos + MAX_TIMESTAMP_POS),
                buf.getLong(pos + PRODUCER_ID_POS),
                buf.getShort(pos + PRODUCER_EPOCH_POS),
                buf.getInt(pos + BASE_SEQUENCE_POS),
                buf.getInt(pos + RECORD_COUNT_POS));
    }

    /**
     * Checks the batch starting at {@code pos}: magic 2, a length that covers at least the header and fits in
     * {@code buf}, a matching CRC-32C, and {@code recordCount >= 0}.
     *
     * @return the parsed header
     * @throws LogException CORRUPT_MESSAGE naming what is wrong
     */
    public static RecordBatchHeader validate(ByteBuffer buf, int pos) {
        RecordBatchHeader header = parse(buf, pos);
        if (header.magic != MAGIC_V2) {
            throw new LogException(LogError.CORRUPT_MESSAGE,
                    "record batch at offset " + header.baseOffset + " has magic " + header.magic + ", only 2 is supported");
        }
        if (header.batchLength < HEADER_SIZE - LOG_OVERHEAD) {
            throw new LogException(LogError.CORRUPT_MESSAGE,
                    "record batch length " + header.batchLength + " is smaller than its header");
        }
        if ((long) pos + header.sizeInBytes() > buf.limit()) {
            throw new LogException(LogError.CORRUPT_MESSAGE, "record batch of " + header.sizeInBytes()
                    + " bytes is cut short: " + (buf.limit() - pos) + " bytes present");
        }
        long actual = computeCrc(buf, pos, header.sizeInBytes());
        if (actual != header.crc) {
            throw new LogException(LogError.CORRUPT_MESSAGE, "record batch at offset " + header.baseOffset
                    + " has CRC " + header.crc + " but its bytes give " + actual);
        }
        if (header.recordCount < 0) {
            throw new LogException(LogError.CORRUPT_MESSAGE, "record batch has a negative record count");
        }
        return header;
    }

    /** CRC-32C of bytes [pos+21, pos+size) of {@code buf}, as an unsigned 32-bit value. */
    public static long computeCrc(ByteBuffer buf, int pos, int size) {
        CRC32C crc = new CRC32C();
        ByteBuffer covered = buf.duplicate();
        covered.limit(pos + size).position(pos + ATTRIBUTES_POS);
        crc.update(covered);
        return crc.getValue();
    }

    /** Writes {@code baseOffset} into the batch at {@code pos} (outside the CRC). */
    public static void setBaseOffset(ByteBuffer buf, int pos, long baseOffset) {
        buf.putLong(pos + BASE_OFFSET_POS, baseOffset);
    }

    /** Writes {@code epoch} into the batch at {@code pos} (outside the CRC). */
    public static void setPartitionLeaderEpoch(ByteBuffer buf, int pos, int epoch) {
        buf.putInt(pos + LEADER_EPOCH_POS, epoch);
    }

    /**
     * Stamps the batch at {@code pos} with LogAppendTime: sets the timestamp-type bit and {@code maxTimestamp}
     * (ms since the epoch) and recomputes the CRC, as Kafka does for {@code message.timestamp.type=LogAppendTime}.
     */
    public static void setLogAppendTime(ByteBuffer buf, int pos, long timestampMs) {
        short attributes = buf.getShort(pos + ATTRIBUTES_POS);
        buf.putShort(pos + ATTRIBUTES_POS, (short) (attributes | TIMESTAMP_TYPE_MASK));
        buf.putLong(pos + MAX_TIMESTAMP_POS, timestampMs);
        int size = buf.getInt(pos + LENGTH_POS) + LOG_OVERHEAD;
        buf.putInt(pos + CRC_POS, (int) computeCrc(buf, pos, size));
    }

    /** Whole batch size in bytes, header included: {@code batchLength + 12}. */
    public int sizeInBytes() {
        return batchLength + LOG_OVERHEAD;
    }

    /** Offset of the batch's last record: {@code baseOffset + lastOffsetDelta}. */
    public long lastOffset() {
        return baseOffset + lastOffsetDelta;
    }

    /** The offset that follows this batch: {@code lastOffset() + 1}. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    /** Sequence of the last record, wrapping at {@code Integer.MAX_VALUE} as Kafka does; -1 without idempotence. */
    public int lastSequence() {
        if (baseSequence == NO_SEQUENCE) {
            return NO_SEQUENCE;
        }
        long last = (long) baseSequence + lastOffsetDelta;
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    /** Compression codec id from attribute bits 0-2: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd. */
    public int compressionId() {
        return attributes & COMPRESSION_MASK;
    }

    /** Codec name as Kafka prints it ({@code none gzip snappy lz4 zstd}), or {@code unknown(N)}. */
    public String compressionName() {
        return switch (compressionId()) {
            case 0 -> "none";
            case 1 -> "gzip";
            case 2 -> "snappy";
            case 3 -> "lz4";
            case 4 -> "zstd";
            default -> "unknown(" + compressionId() + ")";
        };
    }

    /** True when attribute bit 3 says the timestamps are LogAppendTime rather than CreateTime. */
    public boolean isLogAppendTime() {
        return (attributes & TIMESTAMP_TYPE_MASK) != 0;
    }

    /** Attribute bit 4 (KIP-98). */
    public boolean isTransactional() {
        return (attributes & TRANSACTIONAL_MASK) != 0;
    }

    /** Attribute bit 5: a control batch (transaction markers), never sent by producers. */
    public boolean isControl() {
        return (attributes & CONTROL_MASK) != 0;
    }

    /** True when the batch was written by an idempotent or transactional producer. */
    public boolean hasProducerId() {
        return producerId != NO_PRODUCER_ID;
    }
}
