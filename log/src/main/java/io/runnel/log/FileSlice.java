package io.runnel.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A run of whole record batches inside one segment file: what a read returns, for the network layer to send without
 * copying ({@link FileChannel#transferTo}, netty's {@code DefaultFileRegion}). The channel stays open at least
 * {@code file.delete.delay.ms} after its segment is deleted, so a slice taken before a deletion stays readable.
 *
 * @param channel  the segment's file channel, shared: only positional operations may be used on it
 * @param position byte position of the first batch in the file
 * @param length   bytes in the slice (0 for an empty read)
 */
public record FileSlice(FileChannel channel, long position, int length) {
    /** An empty slice over no file. */
    public static final FileSlice EMPTY = new FileSlice(null, 0, 0);

    /** True when the slice holds no bytes. */
    public boolean isEmpty() {
        return length == 0;
    }

    /**
     * Copies the slice into a new heap buffer (position 0, limit = length). For tests and callers that must inspect
     * the bytes; the fetch path uses {@link #transferTo} instead.
     *
     * @throws IOException on a read failure
     */
    public ByteBuffer readAll() throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        long at = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, at);
            if (n < 0) {
                throw new IOException("file ended " + buf.remaining() + " bytes before the slice did");
            }
            at += n;
        }
        return buf.flip();
    }

    /**
     * Sends the whole slice to {@code target} with {@link FileChannel#transferTo} (zero copy where the OS allows).
     *
     * @return bytes sent, equal to {@link #length()} unless the file was truncated meanwhile
     * @throws IOException on an I/O failure
     */
    public long transferTo(WritableByteChannel target) throws IOException {
        long sent = 0;
        while (sent < length) {
            long n = channel.transferTo(position + sent, length - sent, target);
            if (n <= 0) {
                break;
            }
            sent += n;
        }
        return sent;
    }
}
