package io.runnel.broker.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.MemoryRecords;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A kafka-clients {@link Writable} writing into a netty {@link ByteBuf}, which cuts the output into parts around
 * records fields: {@link FileSliceRecords} become {@link SharedFileRegion}s (zero copy), {@link MemoryRecords} wrap
 * their buffer without copying. Varints are encoded as the Kafka protocol guide defines them (unsigned LEB128;
 * signed ones zig-zag first). Not thread-safe; one per response.
 */
final class ResponseWriter implements Writable {
    private final ByteBuf buf;
    private final List<Object> parts = new ArrayList<>();
    private int segmentStart;
    private boolean cut;

    /** @param buf where bytes go; the writer takes ownership of it */
    ResponseWriter(ByteBuf buf) {
        this.buf = buf;
        this.segmentStart = buf.writerIndex();
    }

    @Override
    public void writeByte(byte val) {
        buf.writeByte(val);
    }

    @Override
    public void writeShort(short val) {
        buf.writeShort(val);
    }

    @Override
    public void writeInt(int val) {
        buf.writeInt(val);
    }

    @Override
    public void writeLong(long val) {
        buf.writeLong(val);
    }

    @Override
    public void writeDouble(double val) {
        buf.writeDouble(val);
    }

    @Override
    public void writeByteArray(byte[] arr) {
        buf.writeBytes(arr);
    }

    @Override
    public void writeUnsignedVarint(int i) {
        int v = i;
        while ((v & 0xFFFFFF80) != 0) {
            buf.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf.writeByte(v);
    }

    @Override
    public void writeByteBuffer(ByteBuffer src) {
        buf.writeBytes(src.duplicate());
    }

    @Override
    public void writeVarint(int i) {
        writeUnsignedVarint((i << 1) ^ (i >> 31));
    }

    @Override
    public void writeVarlong(long i) {
        long v = (i << 1) ^ (i >> 63);
        while ((v & 0xFFFFFFFFFFFFFF80L) != 0L) {
            buf.writeByte(((int) v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf.writeByte((int) v);
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (records instanceof FileSliceRecords file) {
            cutSegment();
            parts.add(new SharedFileRegion(file.slice().channel(), file.slice().position(), file.slice().length()));
        } else if (records instanceof MemoryRecords memory) {
            if (memory.sizeInBytes() > 0) {
                cutSegment();
                parts.add(Unpooled.wrappedBuffer(memory.buffer().duplicate()));
            }
        } else {
            throw new UnsupportedOperationException("cannot write records of type " + records.getClass().getName());
        }
    }

    private void cutSegment() {
        cut = true;
        int end = buf.writerIndex();
        if (end > segmentStart) {
            parts.add(buf.retainedSlice(segmentStart, end - segmentStart));
        }
        segmentStart = end;
    }

    /** The parts written, in order; the writer's buffer is handed over (or released if fully sliced). */
    List<Object> finish() {
        if (!cut) {
            return List.of(buf);
        }
        cutSegment();
        buf.release();
        return parts;
    }

    /** Releases everything written so far (after a failure). */
    void discard() {
        parts.forEach(ReferenceCountUtil::safeRelease);
        parts.clear();
        ReferenceCountUtil.safeRelease(buf);
    }
}
