package io.runnel.log.index;

import io.runnel.log.AbortedTxn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.logging.Logger;

/**
 * The aborted-transaction index of one segment ({@code <20-digit base offset>.txnindex}), Kafka's on-disk format
 * (KIP-98): 34-byte big-endian entries {@code version i16 (0), producerId i64, firstOffset i64, lastOffset i64,
 * lastStableOffset i64}, one per {@link AbortedTxn} whose abort marker ({@code lastOffset}) lies in the segment, in
 * increasing {@code lastOffset} order. The file is created at the first entry; entries are written with plain
 * {@link FileChannel} writes, not memory-mapped.
 *
 * <p>Opening: a trailing partial entry (a torn write: the file size is not a multiple of 34 bytes) is cut away; an
 * entry with a version other than 0, an invalid offset range, or a {@code lastOffset} below the previous entry's
 * marks the index as corrupt from there on: a warning is logged and the file is cut before that entry.
 *
 * <p>Thread model: one writer at a time (append, truncate, reset, rename, delete, flush, close; the owning log's lock
 * serializes them); readers ({@link #all}, {@link #overlapping}, {@link #collectOverlapping}) take no lock. Every
 * change publishes a new immutable {@link Entries} snapshot through a volatile write; the array prefix a snapshot
 * covers is never rewritten (a truncation copies), so a reader sees whole entries of one consistent state.
 */
public final class TransactionIndex implements AutoCloseable {
    /** Bytes per entry. */
    public static final int ENTRY_SIZE = 34;
    /** The only entry version Kafka defines. */
    public static final short VERSION = 0;
    private static final Logger LOG = Logger.getLogger(TransactionIndex.class.getName());

    /** A published state: the first {@code count} elements of {@code array}, which are never rewritten. */
    private record Entries(AbortedTxn[] array, int count) {
    }

    private volatile Path file;
    private volatile Entries entries;
    private FileChannel channel;
    private volatile long version;

    /**
     * Opens the index at {@code file}, loading its entries if the file exists (not creating it).
     *
     * @throws IOException when the file cannot be read or its torn tail cut
     */
    public TransactionIndex(Path file) throws IOException {
        this.file = file;
        this.entries = new Entries(new AbortedTxn[0], 0);
        if (Files.exists(file)) {
            load();
        }
    }

    private void load() throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file));
        int whole = buf.capacity() / ENTRY_SIZE;
        List<AbortedTxn> loaded = new ArrayList<>(whole);
        for (int i = 0; i < whole; i++) {
            int at = i * ENTRY_SIZE;
            short v = buf.getShort(at);
            AbortedTxn txn = null;
            try {
                txn = new AbortedTxn(buf.getLong(at + 2), buf.getLong(at + 10), buf.getLong(at + 18),
                        buf.getLong(at + 26));
            } catch (IllegalArgumentException e) {
                // an impossible offset range: treated as corruption below
            }
            boolean ordered = loaded.isEmpty() || txn == null
                    || txn.lastOffset() >= loaded.get(loaded.size() - 1).lastOffset();
            if (v != VERSION || txn == null || !ordered) {
                LOG.warning("corrupt transaction index " + file + ": entry " + i + " (version " + v
                        + ") is invalid; dropping it and the " + (whole - i - 1) + " entries after it");
                break;
            }
            loaded.add(txn);
        }
        long validBytes = (long) loaded.size() * ENTRY_SIZE;
        if (validBytes != buf.capacity()) {
            if (loaded.size() == whole) {
                LOG.warning("cutting a torn entry of " + (buf.capacity() - validBytes) + " bytes from " + file);
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(validBytes);
                ch.force(true);
            }
        }
        AbortedTxn[] array = loaded.toArray(new AbortedTxn[0]);
        entries = new Entries(array, array.length);
    }

    /** The index file (it may not exist yet); after {@link #renameTo} the new path. */
    public Path file() {
        return file;
    }

    /** Number of entries. */
    public int size() {
        return entries.count();
    }

    /** A counter bumped by every change, so a reader can tell whether the index changed since it looked. */
    public long version() {
        return version;
    }

    /**
     * Appends an entry (writer only), creating the file if needed.
     *
     * @throws IllegalArgumentException when {@code txn.lastOffset()} is below the last entry's
     * @throws IOException              when the write fails (the entry is then not published)
     */
    public void append(AbortedTxn txn) throws IOException {
        Entries e = entries;
        if (e.count() > 0 && txn.lastOffset() < e.array()[e.count() - 1].lastOffset()) {
            throw new IllegalArgumentException("aborted transaction " + txn + " is below the last entry "
                    + e.array()[e.count() - 1] + " of " + file);
        }
        ByteBuffer buf = ByteBuffer.allocate(ENTRY_SIZE);
        buf.putShort(VERSION).putLong(txn.producerId()).putLong(txn.firstOffset()).putLong(txn.lastOffset())
                .putLong(txn.lastStableOffset()).flip();
        long at = (long) e.count() * ENTRY_SIZE;
        FileChannel ch = channel();
        while (buf.hasRemaining()) {
            at += ch.write(buf, at);
        }
        AbortedTxn[] array = e.array();
        if (e.count() == array.length) {
            array = Arrays.copyOf(array, Math.max(8, array.length * 2));
        }
        array[e.count()] = txn;
        publish(new Entries(array, e.count() + 1));
    }

    /**
     * Creates the file, empty, if it does not exist (writer only), so that it replaces an older file of the same name
     * when moved over it.
     *
     * @throws IOException when the file cannot be created
     */
    public void create() throws IOException {
        channel();
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        }
        return channel;
    }

    /** Every entry, in increasing {@code lastOffset} order; an immutable list. */
    public List<AbortedTxn> all() {
        Entries e = entries;
        return Collections.unmodifiableList(Arrays.asList(Arrays.copyOf(e.array(), e.count())));
    }

    /**
     * The entries overlapping {@code [fetchOffset, upperBoundOffset)}: {@code lastOffset >= fetchOffset} and
     * {@code firstOffset < upperBoundOffset}, in increasing {@code lastOffset} order.
     */
    public List<AbortedTxn> overlapping(long fetchOffset, long upperBoundOffset) {
        List<AbortedTxn> out = new ArrayList<>();
        Entries e = entries;
        for (int i = firstReaching(e, fetchOffset); i < e.count(); i++) {
            AbortedTxn t = e.array()[i];
            if (t.firstOffset() < upperBoundOffset) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * Adds to {@code out} the entries {@link #overlapping} would return, but stops after the first entry whose
     * {@code lastStableOffset} is at least {@code upperBoundOffset} (Kafka's rule): every transaction starting below
     * the bound had ended by then, so no later entry of this or any later segment can overlap.
     *
     * @return true when the search stopped that way, so later segments need not be searched
     */
    public boolean collectOverlapping(long fetchOffset, long upperBoundOffset, List<AbortedTxn> out) {
        Entries e = entries;
        for (int i = firstReaching(e, fetchOffset); i < e.count(); i++) {
            AbortedTxn t = e.array()[i];
            if (t.firstOffset() < upperBoundOffset) {
                out.add(t);
            }
            if (t.lastStableOffset() >= upperBoundOffset) {
                return true;
            }
        }
        return false;
    }

    /** Index of the first entry with {@code lastOffset >= offset}, or {@code count} (binary search). */
    private static int firstReaching(Entries e, long offset) {
        int lo = 0;
        int hi = e.count();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (e.array()[mid].lastOffset() < offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Drops the entries with {@code lastOffset >= offset} (writer only), cutting the file after the rest. */
    public void truncateTo(long offset) throws IOException {
        Entries e = entries;
        int keep = firstReaching(e, offset);
        if (keep == e.count()) {
            return;
        }
        if (Files.exists(file)) {
            channel().truncate((long) keep * ENTRY_SIZE);
        }
        publish(new Entries(Arrays.copyOf(e.array(), Math.max(8, keep)), keep));
    }

    /** Empties the index and deletes its file (writer only); the next append creates it again. */
    public void reset() throws IOException {
        close();
        Files.deleteIfExists(file);
        publish(new Entries(new AbortedTxn[0], 0));
    }

    /** Closes the index and deletes its file at its current path; the entries stay readable. */
    public void delete() throws IOException {
        close();
        Files.deleteIfExists(file);
    }

    /** Moves the file, if it exists, to {@code target}; an open channel keeps working, later writes go there. */
    public void renameTo(Path target) throws IOException {
        if (Files.exists(file)) {
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
        file = target;
    }

    /** Fsyncs the file, if open. */
    public void flush() throws IOException {
        if (channel != null) {
            channel.force(true);
        }
    }

    /** Closes the file; a later append reopens it. */
    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    private void publish(Entries next) {
        version = version + 1; // writer only
        entries = next;
    }

    @Override
    public String toString() {
        return "TransactionIndex(" + file.getFileName() + ", " + size() + " entries)";
    }
}
