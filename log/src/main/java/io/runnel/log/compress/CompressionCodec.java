package io.runnel.log.compress;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.xerial.snappy.SnappyInputStream;
import org.xerial.snappy.SnappyOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The record-batch compression codecs, by the id in bits 0-2 of a v2 batch's attributes (Kafka protocol guide,
 * "Record Batch"; KIP-110 for zstd). Each wraps the library Kafka itself uses, in the stream framing Kafka's clients
 * read and write: gzip (JDK), snappy (snappy-java's xerial stream framing), lz4 (the LZ4 frame format, KIP-57, written
 * with 64 KiB independent blocks and no checksums beyond the header's), zstd (zstd-jni's stream format).
 */
public enum CompressionCodec {
    NONE(0, "none"),
    GZIP(1, "gzip"),
    SNAPPY(2, "snappy"),
    LZ4(3, "lz4"),
    ZSTD(4, "zstd");

    private static final int BUFFER = 16 * 1024;
    private final int id;
    private final String label;

    CompressionCodec(int id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The attribute id (0-4). */
    public int id() {
        return id;
    }

    /** Kafka's name: none, gzip, snappy, lz4, zstd. */
    public String label() {
        return label;
    }

    /**
     * The codec of an attribute id.
     *
     * @throws IllegalArgumentException for an id other than 0-4 (Kafka: CORRUPT_MESSAGE)
     */
    public static CompressionCodec ofId(int id) {
        for (CompressionCodec c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression codec id " + id);
    }

    /**
     * Decompresses {@code compressed} (position to limit, not consumed) into a new heap buffer.
     *
     * @throws IOException when the bytes are not a valid stream of this codec
     */
    public ByteBuffer decompress(ByteBuffer compressed) throws IOException {
        ByteBuffer src = compressed.duplicate();
        if (this == NONE) {
            return src.slice();
        }
        byte[] bytes = new byte[src.remaining()];
        src.get(bytes);
        try (InputStream in = wrapInput(new ByteArrayInputStream(bytes))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, bytes.length * 3));
            in.transferTo(out);
            return ByteBuffer.wrap(out.toByteArray());
        } catch (RuntimeException e) {
            throw new IOException(label + " stream is corrupt: " + e.getMessage(), e);
        }
    }

    /** Compresses {@code plain} (position to limit, not consumed) with the library's default level. */
    public byte[] compress(ByteBuffer plain) throws IOException {
        ByteBuffer src = plain.duplicate();
        byte[] bytes = new byte[src.remaining()];
        src.get(bytes);
        if (this == NONE) {
            return bytes;
        }
        ByteArrayOutputStream sink = new ByteArrayOutputStream(Math.max(64, bytes.length / 2));
        try (OutputStream out = wrapOutput(sink)) {
            out.write(bytes);
        }
        return sink.toByteArray();
    }

    private InputStream wrapInput(InputStream in) throws IOException {
        return switch (this) {
            case GZIP -> new GZIPInputStream(in, BUFFER);
            case SNAPPY -> new SnappyInputStream(in);
            case LZ4 -> new LZ4FrameInputStream(in);
            case ZSTD -> new ZstdInputStreamNoFinalizer(in);
            case NONE -> in;
        };
    }

    private OutputStream wrapOutput(OutputStream out) throws IOException {
        return switch (this) {
            case GZIP -> new GZIPOutputStream(out, BUFFER);
            case SNAPPY -> new SnappyOutputStream(out);
            case LZ4 -> new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                    LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE);
            case ZSTD -> new ZstdOutputStreamNoFinalizer(out);
            case NONE -> out;
        };
    }
}
