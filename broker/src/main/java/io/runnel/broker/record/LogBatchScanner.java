package io.runnel.broker.record;

import io.runnel.log.FileSlice;
import io.runnel.log.PartitionLog;
import io.runnel.log.record.RecordBatchHeader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Walks the batch headers of a partition log through its read slices, reading 61 bytes per batch with positional
 * reads (no record bytes): producer-state rebuilds and the max-timestamp lookup use it. Stateless.
 */
public final class LogBatchScanner {
    /** Receives each batch: the slice it was read through, its byte position in the file, and its header. */
    @FunctionalInterface
    public interface Visitor {
        void visit(FileSlice slice, long position, RecordBatchHeader header);
    }

    private LogBatchScanner() {
    }

    /**
     * Calls {@code visitor} with the header of every batch holding offsets in {@code [from, to)}, in order.
     *
     * @throws UncheckedIOException when the log cannot be read
     */
    public static void forEachHeader(PartitionLog log, long from, long to, Visitor visitor) {
        long offset = Math.max(from, log.logStartOffset());
        ByteBuffer buf = ByteBuffer.allocate(RecordBatchHeader.HEADER_SIZE);
        while (offset < to) {
            FileSlice slice = log.read(offset, Integer.MAX_VALUE, to, true);
            if (slice.isEmpty()) {
                return;
            }
            long next = offset;
            long pos = slice.position();
            long end = slice.position() + slice.length();
            while (pos + RecordBatchHeader.HEADER_SIZE <= end) {
                RecordBatchHeader h = readHeader(slice, pos, buf);
                if (h.batchLength() <= 0) {
                    return;
                }
                visitor.visit(slice, pos, h);
                next = h.nextOffset();
                pos += h.sizeInBytes();
            }
            if (next <= offset) {
                return;
            }
            offset = next;
        }
    }

    /** Reads the whole batch at byte {@code position} of {@code slice}'s file whose header is {@code header}. */
    public static ByteBuffer readBatch(FileSlice slice, long position, RecordBatchHeader header) {
        ByteBuffer batch = ByteBuffer.allocate(header.sizeInBytes());
        readFully(slice, position, batch);
        return batch.flip();
    }

    private static RecordBatchHeader readHeader(FileSlice slice, long pos, ByteBuffer buf) {
        buf.clear();
        readFully(slice, pos, buf);
        buf.flip();
        return RecordBatchHeader.parse(buf, 0);
    }

    private static void readFully(FileSlice slice, long position, ByteBuffer dst) {
        long at = position;
        try {
            while (dst.hasRemaining()) {
                int n = slice.channel().read(dst, at);
                if (n < 0) {
                    throw new IOException("the segment ended inside a batch at byte " + at);
                }
                at += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
