package io.runnel.metadata.fetch;

import com.google.protobuf.ByteString;
import io.runnel.metadata.image.MetadataImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What a controller keeps so that brokers can fetch the metadata log: a bounded in-memory window of the most recent
 * committed entries whose batch changed the image, the newest image, and the last applied log index. Fed by the
 * state machine's apply thread, read by fetch requests on other threads; every method is atomic (one lock).
 *
 * <p>Invariant: every image-changing entry with index in {@code (floor, appliedIndex]} is in the window, in index
 * order, and {@link #image()} reflects every entry up to {@code appliedIndex}. The window holds at most {@code
 * maxEntries} entries and, beyond its newest entry, at most {@code maxBytes} batch bytes; evicting the oldest entry
 * raises the floor to its index. A fetch from below the floor (or from -1, nothing yet) is answered with the image
 * instead ({@link Read#snapshot()}). Loading a snapshot resets the window: floor = applied index = the snapshot's.
 */
public final class RecentEntries {
    /** Default bound on the number of entries kept. */
    public static final int DEFAULT_MAX_ENTRIES = 1024;
    /** Default bound on the batch bytes kept (16 MiB). */
    public static final long DEFAULT_MAX_BYTES = 16L << 20;

    /** One committed entry: its Ratis term and index and its serialized {@code MetadataRecordBatch}. */
    public record Entry(long term, long index, ByteString batch) {
        public Entry {
            Objects.requireNonNull(batch, "batch");
        }
    }

    /**
     * What a fetch gets: either a snapshot (the image, non-null) with no entries, or the entries after the fetch
     * offset (possibly none); {@code lastOffset} is the index the fetcher has accounted for after replaying it, and
     * {@code appliedIndex} this controller's last applied index.
     */
    public record Read(MetadataImage snapshot, List<Entry> entries, long lastOffset, long appliedIndex) {
        public Read {
            entries = List.copyOf(entries);
        }
    }

    private record Waiter(long offset, CompletableFuture<Void> future) {
    }

    private final int maxEntries;
    private final long maxBytes;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private long bytes;
    private long floor = -1;
    private long appliedIndex = -1;
    private MetadataImage image;

    /**
     * @param image      the image before any entry (usually {@code MetadataImage.empty(clusterId)})
     * @param maxEntries at most this many entries are kept (>= 1)
     * @param maxBytes   at most this many batch bytes are kept besides the newest entry (>= 1)
     */
    public RecentEntries(MetadataImage image, int maxEntries, long maxBytes) {
        if (maxEntries < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxEntries and maxBytes must be >= 1: " + maxEntries + ", "
                    + maxBytes);
        }
        this.image = Objects.requireNonNull(image, "image");
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** A snapshot was loaded: the window restarts empty at its index. */
    public void reset(MetadataImage loaded, long index) {
        List<Waiter> due;
        synchronized (this) {
            entries.clear();
            bytes = 0;
            floor = index;
            appliedIndex = index;
            image = loaded;
            due = dueWaiters();
        }
        due.forEach(w -> w.future.complete(null));
    }

    /** The entry at {@code index} changed the image into {@code next}; it is now the last applied entry. */
    public void append(long term, long index, ByteString batch, MetadataImage next) {
        List<Waiter> due;
        synchronized (this) {
            if (index <= appliedIndex) {
                return; // never goes backwards (a replay of what a loaded snapshot holds)
            }
            entries.addLast(new Entry(term, index, batch));
            bytes += batch.size();
            while (entries.size() > maxEntries || (entries.size() > 1 && bytes - entries.peekLast().batch().size()
                    > maxBytes)) {
                Entry evicted = entries.removeFirst();
                bytes -= evicted.batch().size();
                floor = evicted.index();
            }
            appliedIndex = index;
            image = next;
            due = dueWaiters();
        }
        due.forEach(w -> w.future.complete(null));
    }

    /** The entry at {@code index} was applied without changing the image ({@code current}). */
    public void advance(long index, MetadataImage current) {
        List<Waiter> due;
        synchronized (this) {
            if (index <= appliedIndex) {
                return;
            }
            appliedIndex = index;
            image = current;
            due = dueWaiters();
        }
        due.forEach(w -> w.future.complete(null));
    }

    /**
     * What a fetcher that has accounted for every entry up to {@code fetchOffset} gets: a snapshot when {@code
     * fetchOffset} is negative or below the floor, else the entries after it, at most {@code maxBytes} batch bytes
     * of them but at least one.
     */
    public synchronized Read read(long fetchOffset, int maxBytes) {
        if (fetchOffset < 0 || fetchOffset < floor) {
            return new Read(image, List.of(), appliedIndex, appliedIndex);
        }
        List<Entry> out = new ArrayList<>();
        if (fetchOffset >= appliedIndex) {
            return new Read(null, out, fetchOffset, appliedIndex);
        }
        Iterator<Entry> newestFirst = entries.descendingIterator();
        ArrayDeque<Entry> after = new ArrayDeque<>();
        while (newestFirst.hasNext()) {
            Entry e = newestFirst.next();
            if (e.index() <= fetchOffset) {
                break;
            }
            after.addFirst(e);
        }
        long size = 0;
        for (Entry e : after) {
            if (!out.isEmpty() && size + e.batch().size() > maxBytes) {
                return new Read(null, out, out.get(out.size() - 1).index(), appliedIndex);
            }
            out.add(e);
            size += e.batch().size();
        }
        return new Read(null, out, appliedIndex, appliedIndex);
    }

    /**
     * Completes once the applied index is above {@code offset} (at once when it already is). A caller that stops
     * waiting (e.g. a long poll's timeout) completes the future itself; it is then forgotten.
     */
    public CompletableFuture<Void> awaitAfter(long offset) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Waiter w = new Waiter(offset, f);
        synchronized (this) {
            if (appliedIndex > offset) {
                f.complete(null);
                return f;
            }
            waiters.add(w);
        }
        f.whenComplete((v, e) -> {
            synchronized (this) {
                waiters.remove(w);
            }
        });
        return f;
    }

    public synchronized long appliedIndex() {
        return appliedIndex;
    }

    /** Entries at or below this index may be gone: fetches from below it get a snapshot. */
    public synchronized long floor() {
        return floor;
    }

    /** Entries currently kept. */
    public synchronized int size() {
        return entries.size();
    }

    /** Fetches waiting for news. */
    synchronized int waiting() {
        return waiters.size();
    }

    /** The newest image, as of {@link #appliedIndex()}. */
    public synchronized MetadataImage image() {
        return image;
    }

    /** Removes and returns the waiters whose offset the applied index has passed; caller holds the lock. */
    private List<Waiter> dueWaiters() {
        List<Waiter> due = new ArrayList<>();
        waiters.removeIf(w -> {
            if (w.offset < appliedIndex) {
                due.add(w);
                return true;
            }
            return false;
        });
        return due;
    }
}
