package io.runnel.broker.protocol;

import io.runnel.log.FileSlice;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.RecordsSend;

import java.util.Objects;

/**
 * The records of a Fetch response partition as a slice of a log segment file, sent without copying: the
 * {@link ResponseWriter} turns it into a netty file region ({@code FileChannel.transferTo}) instead of bytes.
 * Generated {@code size()} methods read {@link #sizeInBytes()}.
 */
public final class FileSliceRecords implements BaseRecords {
    private final FileSlice slice;

    /** @param slice whole batches read from a partition log; never empty */
    public FileSliceRecords(FileSlice slice) {
        this.slice = Objects.requireNonNull(slice, "slice");
        if (slice.isEmpty()) {
            throw new IllegalArgumentException("an empty slice is sent as MemoryRecords.EMPTY");
        }
    }

    /** The file slice. */
    public FileSlice slice() {
        return slice;
    }

    /** Bytes of the slice. */
    @Override
    public int sizeInBytes() {
        return slice.length();
    }

    /** Not used: Runnel sends responses through its own {@link ResponseEncoder}. */
    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("FileSliceRecords are written by Runnel's ResponseEncoder");
    }

    @Override
    public String toString() {
        return "FileSliceRecords(position=" + slice.position() + ", length=" + slice.length() + ")";
    }
}
