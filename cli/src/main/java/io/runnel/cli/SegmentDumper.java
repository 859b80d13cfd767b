package io.runnel.cli;

import io.runnel.log.record.RecordBatchHeader;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Walks one log segment file batch by batch and prints Kafka DumpLogSegments' lines:
 * <pre>
 * Dumping 00000000000000000000.log
 * Log starting offset: 0
 * baseOffset: 0 lastOffset: 9 count: 10 baseSequence: 0 lastSequence: 9 producerId: -1 producerEpoch: -1
 *   partitionLeaderEpoch: 0 isTransactional: false isControl: false position: 0 CreateTime: 1700000000000
 *   size: 1234 magic: 2 compresscodec: none crc: 123456 isvalid: true      (one line per batch)
 * Found 17 invalid bytes at the end of 00000000000000000000.log
 * </pre>
 * A batch whose CRC does not match is printed with {@code isvalid: false} and the walk continues after it, since its
 * length still frames it. The walk stops at the first place that cannot be a batch (fewer bytes than the length
 * says, a length below the 61-byte header, a magic other than 2) and reports the bytes from there on as invalid.
 * Positions and sizes are in bytes; timestamps in ms since the epoch.
 */
final class SegmentDumper {

    private final PrintWriter out;
    private final boolean deepIteration;

    /**
     * @param out where the lines go
     * @param deepIteration also print one line per record of each batch
     */
    SegmentDumper(PrintWriter out, boolean deepIteration) {
        this.out = out;
        this.deepIteration = deepIteration;
    }

    /**
     * Dumps one segment file.
     *
     * @throws CliException when the file cannot be read
     */
    void dump(Path file) {
        out.println("Dumping " + file);
        baseOffsetFromName(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long position = 0;
            ByteBuffer overhead = ByteBuffer.allocate(RecordBatchHeader.LOG_OVERHEAD);
            while (size - position >= RecordBatchHeader.HEADER_SIZE) {
                overhead.clear();
                readFully(channel, overhead, position);
                long batchSize = overhead.getInt(8) + (long) RecordBatchHeader.LOG_OVERHEAD;
                if (batchSize < RecordBatchHeader.HEADER_SIZE || position + batchSize > size) {
                    break; // a torn write or garbage: no batch can start here
                }
                ByteBuffer batch = ByteBuffer.allocate((int) batchSize);
                readFully(channel, batch, position);
                RecordBatchHeader header = RecordBatchHeader.parse(batch, 0);
                if (header.magic() != RecordBatchHeader.MAGIC_V2) {
                    break; // not a format Runnel writes; its length cannot be trusted either
                }
                boolean valid = RecordBatchHeader.computeCrc(batch, 0, (int) batchSize) == header.crc();
                out.println(batchLine(header, position, valid));
                if (deepIteration) {
                    new RecordPrinter(out).print(header, batch);
                }
                position += batchSize;
            }
            if (position < size) {
                out.println("Found " + (size - position) + " invalid bytes at the end of " + file.getFileName());
            }
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Prints {@code Log starting offset: N} when the name is Kafka's {@code <20-digit base offset>.log}. */
    private void baseOffsetFromName(Path file) {
        String name = file.getFileName().toString();
        String stem = name.substring(0, name.length() - ".log".length());
        if (stem.isEmpty() || !stem.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return;
        }
        try {
            out.println("Log starting offset: " + Long.parseLong(stem));
        } catch (NumberFormatException tooLarge) {
            // not a base offset after all; Kafka's names always fit a long
        }
    }

    /**
     * Formats one batch exactly as Kafka's DumpLogSegments does (minus {@code deleteHorizonMs}).
     *
     * @param header the parsed batch header
     * @param position byte position of the batch in the file
     * @param valid whether the stored CRC matches the batch's bytes
     */
    static String batchLine(RecordBatchHeader header, long position, boolean valid) {
        return "baseOffset: " + header.baseOffset()
                + " lastOffset: " + header.lastOffset()
                + " count: " + header.recordCount()
                + " baseSequence: " + header.baseSequence()
                + " lastSequence: " + header.lastSequence()
                + " producerId: " + header.producerId()
                + " producerEpoch: " + header.producerEpoch()
                + " partitionLeaderEpoch: " + header.partitionLeaderEpoch()
                + " isTransactional: " + header.isTransactional()
                + " isControl: " + header.isControl()
                + " position: " + position
                + " " + timestampType(header) + ": " + header.maxTimestamp()
                + " size: " + header.sizeInBytes()
                + " magic: " + header.magic()
                + " compresscodec: " + header.compressionName()
                + " crc: " + header.crc()
                + " isvalid: " + valid;
    }

    /** {@code LogAppendTime} or {@code CreateTime}, Kafka's names for attribute bit 3. */
    static String timestampType(RecordBatchHeader header) {
        return header.isLogAppendTime() ? "LogAppendTime" : "CreateTime";
    }

    private static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, at);
            if (n < 0) {
                throw new EOFException("file shrank while being read (at byte " + at + ")");
            }
            at += n;
        }
        buf.flip();
    }
}
