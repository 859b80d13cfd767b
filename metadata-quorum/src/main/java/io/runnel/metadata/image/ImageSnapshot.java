package io.runnel.metadata.image;

import com.google.protobuf.InvalidProtocolBufferException;
import io.runnel.metadata.errors.MetadataReplayException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Snapshot files: one {@link MetadataImage} in its canonical bytes ({@link ImageCodec}), framed so damage is found.
 *
 * <pre>
 * magic    4 bytes  "RNMI"
 * version  int16    1
 * length   int32    payload length in bytes
 * payload  length bytes, a serialized MetadataSnapshot
 * crc      int32    CRC-32C (Castagnoli) of magic..payload
 * </pre>
 *
 * Big-endian. {@link #write} goes through a temporary file, fsync and an atomic rename, so a crash leaves either the
 * old file or the complete new one. {@link #read} throws {@link CorruptSnapshotException} naming the file.
 */
public final class ImageSnapshot {
    private static final byte[] MAGIC = {'R', 'N', 'M', 'I'};
    private static final short VERSION = 1;
    private static final int HEADER = MAGIC.length + 2 + 4;

    private ImageSnapshot() {
    }

    /** The framed bytes of an image. */
    public static byte[] frame(MetadataImage image) {
        byte[] payload = ImageCodec.toBytes(image);
        ByteBuffer buf = ByteBuffer.allocate(HEADER + payload.length + 4);
        buf.put(MAGIC).putShort(VERSION).putInt(payload.length).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        return buf.array();
    }

    /** Writes the image to {@code file} atomically (temporary sibling, fsync, rename). */
    public static void write(Path file, MetadataImage image) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(frame(image));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads and checks a snapshot file. */
    public static MetadataImage read(Path file) throws IOException {
        return unframe(file, Files.readAllBytes(file));
    }

    /** Checks and decodes framed bytes; {@code source} names them in errors. */
    public static MetadataImage unframe(Path source, byte[] bytes) throws CorruptSnapshotException {
        if (bytes.length < HEADER + 4) {
            throw new CorruptSnapshotException(source, "only " + bytes.length + " bytes", null);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        for (byte b : MAGIC) {
            if (buf.get() != b) {
                throw new CorruptSnapshotException(source, "bad magic", null);
            }
        }
        short version = buf.getShort();
        if (version != VERSION) {
            throw new CorruptSnapshotException(source, "unsupported version " + version, null);
        }
        int length = buf.getInt();
        if (length < 0 || length != bytes.length - HEADER - 4) {
            throw new CorruptSnapshotException(source, "length field " + length + " does not match file size "
                    + bytes.length, null);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, HEADER + length);
        int expected = ByteBuffer.wrap(bytes, HEADER + length, 4).getInt();
        if ((int) crc.getValue() != expected) {
            throw new CorruptSnapshotException(source, String.format("CRC-32C mismatch (stored %08x, computed %08x)",
                    expected, (int) crc.getValue()), null);
        }
        byte[] payload = new byte[length];
        System.arraycopy(bytes, HEADER, payload, 0, length);
        try {
            return ImageCodec.fromBytes(payload);
        } catch (InvalidProtocolBufferException | MetadataReplayException e) {
            throw new CorruptSnapshotException(source, "undecodable content: " + e.getMessage(), e);
        }
    }
}
