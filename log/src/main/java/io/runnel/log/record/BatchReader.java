package io.runnel.log.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads record-batch headers (and whole batches) from a log file by absolute position, through a small read-ahead
 * buffer so that walking many batches costs few system calls. Not thread-safe: each walk uses its own reader.
 * Positional reads never move the channel's position, so readers and the single writer share one channel.
 */
public final class BatchReader {
    private static final int READ_AHEAD = 16 * 1024;
    private final FileChannel channel;
    private final long end;
    private final ByteBuffer window = ByteBuffer.allocate(READ_AHEAD);
    private long windowStart = -1;
    private int windowLength;

    /** @param end bytes of the file that may be read (the segment's size when the walk began) */
    public BatchReader(FileChannel channel, long end) {
        this.channel = channel;
        this.end = end;
    }

    /**
     * The header of the batch at byte {@code position}, or null when fewer than 61 bytes remain before the end.
     * The header is not validated.
     *
     * @throws IOException on a read failure
     */
    public RecordBatchHeader headerAt(long position) throws IOException {
        if (position + RecordBatchHeader.HEADER_SIZE > end) {
            return null;
        }
        if (windowStart < 0 || position < windowStart
                || position + RecordBatchHeader.HEADER_SIZE > windowStart + windowLength) {
            fill(position);
            if (windowLength < RecordBatchHeader.HEADER_SIZE) {
                return null;
            }
        }
        return RecordBatchHeader.parse(window, (int) (position - windowStart));
    }

    private void fill(long position) throws IOException {
        window.clear();
        window.limit((int) Math.min(READ_AHEAD, end - position));
        readAt(window, position);
        windowStart = position;
        windowLength = window.position();
        window.clear();
    }

    /**
     * Reads {@code size} bytes from {@code position} into a new heap buffer (position 0, limit = bytes read, which
     * is less than {@code size} when the file ends first).
     *
     * @throws IOException on a read failure
     */
    public ByteBuffer readFully(long position, int size) throws IOException {
        int available = (int) Math.max(0, Math.min(size, end - position));
        ByteBuffer buf = ByteBuffer.allocate(available);
        readAt(buf, position);
        return buf.flip();
    }

    /** Fills {@code buf} from {@code position} on, stopping early only at the end of the file. */
    private void readAt(ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, at);
            if (n < 0) {
                break;
            }
            at += n;
        }
    }
}
