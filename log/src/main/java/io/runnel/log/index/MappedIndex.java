package io.runnel.log.index;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntPredicate;

/**
 * A memory-mapped file of fixed-size entries sorted by a key, as Kafka's AbstractIndex: the index of the active
 * segment is preallocated to {@code segment.index.bytes} and trimmed to its entries when the segment rolls or closes.
 *
 * <p>Thread model: one writer (appends, truncations, trims) at a time; readers may look up concurrently without a
 * lock. A writer puts an entry's bytes before it publishes the new count through a volatile write, so a reader that
 * reads the count sees whole entries. The mapping is never unmapped by hand: a reader still holding it stays safe,
 * and the garbage collector releases it.
 */
public abstract class MappedIndex implements AutoCloseable {
    private final Path file;
    private final long baseOffset;
    private final int entrySize;
    private volatile MappedByteBuffer mmap;
    private volatile int entries;
    private int maxEntries;

    /**
     * Opens (creating if missing) the index file. A writable index is extended to {@code maxIndexBytes} rounded down
     * to whole entries; a read-only one is mapped at its current length.
     *
     * @param baseOffset   the segment's base offset; entries store offsets relative to it
     * @param maxIndexBytes the preallocated size in bytes of a writable index ({@code segment.index.bytes})
     * @throws UncheckedIOException if the file cannot be opened or mapped
     */
    protected MappedIndex(Path file, long baseOffset, int entrySize, int maxIndexBytes, boolean writable) {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long existing = raf.length();
            this.entries = (int) (existing / entrySize);
            map(raf, writable, maxIndexBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open index " + file, e);
        }
    }

    private void map(RandomAccessFile raf, boolean writable, int maxIndexBytes) throws IOException {
        long length;
        if (writable) {
            length = Math.max((long) entries * entrySize, (long) (maxIndexBytes / entrySize) * entrySize);
            raf.setLength(length);
        } else {
            length = (long) entries * entrySize;
            raf.setLength(length);
        }
        this.maxEntries = (int) (length / entrySize);
        this.mmap = raf.getChannel().map(writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY,
                0, length);
    }

    /** The segment base offset the relative offsets in this index are counted from. */
    public long baseOffset() {
        return baseOffset;
    }

    /** The index file. */
    public Path file() {
        return file;
    }

    /** Number of entries written. */
    public int entries() {
        return entries;
    }

    /** True when no more entry fits the preallocated file; the segment must roll. */
    public boolean isFull() {
        return entries >= maxEntries;
    }

    /** Bytes of the file holding entries. */
    public long sizeInBytes() {
        return (long) entries * entrySize;
    }

    /** The mapping, for subclasses' absolute reads and writes. */
    protected MappedByteBuffer buffer() {
        return mmap;
    }

    /** Byte position of entry {@code n}. */
    protected int positionOf(int n) {
        return n * entrySize;
    }

    /** Makes the entry just written at index {@link #entries()} visible to readers. */
    protected void publishAppend() {
        entries = entries + 1;
    }

    /** Drops every entry from {@code n} on (writer only). */
    protected void truncateToEntries(int n) {
        entries = Math.min(entries, Math.max(0, n));
    }

    /** The absolute offset stored in entry {@code n}. */
    protected abstract long entryOffset(int n);

    /**
     * Binary search: the last entry for which {@code holds} is true, where {@code holds} is true for a prefix of the
     * entries (keys increase); -1 when it holds for none.
     */
    protected int lastWhere(IntPredicate holds) {
        int lo = 0;
        int hi = entries() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (holds.test(mid)) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Removes every entry whose offset is at least {@code offset} (writer only). */
    public void truncateTo(long offset) {
        int n = entries();
        while (n > 0 && entryOffset(n - 1) >= offset) {
            n--;
        }
        truncateToEntries(n);
    }

    /** Drops every entry. */
    public void reset() {
        truncateToEntries(0);
    }

    /**
     * Writes the mapping to disk ({@code MappedByteBuffer.force}); part of a segment flush.
     */
    public void flush() {
        MappedByteBuffer m = mmap;
        if (m.isReadOnly()) {
            return;
        }
        m.force();
    }

    /**
     * Shrinks the file to its entries and remaps it read-only: done when the segment becomes inactive or closes.
     *
     * @throws UncheckedIOException on an I/O failure
     */
    public void trimToValidSize() {
        flush();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            map(raf, false, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot trim index " + file, e);
        }
    }

    /**
     * Remaps the file writable and preallocated to {@code maxIndexBytes}: for a segment that becomes the active one
     * again after the segments after it were truncated away.
     *
     * @throws UncheckedIOException on an I/O failure
     */
    public void reopenForAppend(int maxIndexBytes) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            map(raf, true, maxIndexBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reopen index " + file, e);
        }
    }

    /**
     * Checks the entries for the order they must have (strictly increasing keys); a failed check means the index
     * must be rebuilt from the log.
     *
     * @param logSizeBytes the size of the segment's log file, bounding stored file positions
     * @return null if sane, else what is wrong
     */
    public abstract String sanityCheck(long logSizeBytes);

    /** Flushes and releases the file; the mapping itself is left to the garbage collector. */
    @Override
    public void close() {
        flush();
    }

    /** Deletes the index file if present. */
    public void deleteIfExists() throws IOException {
        Files.deleteIfExists(file);
    }
}
