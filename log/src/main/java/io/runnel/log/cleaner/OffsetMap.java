package io.runnel.log.cleaner;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The cleaner's map from key to the last offset that key has in the dirty section (the docs' "Log Compaction"
 * section): keys are stored as their 128-bit MD5 digest (a collision would need 2^64 keys), in open-addressed slots
 * of 24 bytes (digest and offset), so the memory bound is {@code log.cleaner.dedupe.buffer.size} divided over the
 * cleaner threads, filled to {@code log.cleaner.io.buffer.load.factor} at most and never to the last slot: linear
 * probing for a key that is not there stops at an empty slot, so one always stays empty (with a load factor of 1.0
 * a lookup of an absent key in a full table used to probe forever). Not thread-safe: one per cleaner thread.
 */
public final class OffsetMap {
    /** Bytes of one slot: two longs of digest and one of offset. */
    public static final int BYTES_PER_ENTRY = 24;
    private static final long EMPTY = Long.MIN_VALUE;
    private final long[] hashHi;
    private final long[] hashLo;
    private final long[] offsets;
    private final int maxEntries;
    private final MessageDigest md5;
    private int size;
    private long lastOffset = -1;

    /**
     * @param memoryBytes bytes the map may use (two slots' worth at least are used)
     * @param loadFactor  the share of slots that may fill, in (0, 1]; one slot always stays empty
     */
    public OffsetMap(long memoryBytes, double loadFactor) {
        int slots = (int) Math.max(2, Math.min(Integer.MAX_VALUE - 8, memoryBytes / BYTES_PER_ENTRY));
        this.hashHi = new long[slots];
        this.hashLo = new long[slots];
        this.offsets = new long[slots];
        this.maxEntries = Math.max(1, Math.min(slots - 1, (int) (slots * Math.min(1.0, loadFactor))));
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks MD5", e);
        }
        clear();
    }

    /** Keys this map can hold before it is full. */
    public int capacity() {
        return maxEntries;
    }

    /** Keys held. */
    public int size() {
        return size;
    }

    /** True when no further new key fits. */
    public boolean isFull() {
        return size >= maxEntries;
    }

    /** The share of slots in use, 0 to 1 (Kafka's "buffer utilization"). */
    public double utilization() {
        return (double) size / offsets.length;
    }

    /** The highest offset put since the last clear, -1 if none. */
    public long lastOffset() {
        return lastOffset;
    }

    /** Empties the map. */
    public void clear() {
        Arrays.fill(offsets, EMPTY);
        size = 0;
        lastOffset = -1;
    }

    /**
     * Records that {@code key} (position to limit, not consumed) has {@code offset}; a later put of the same key wins.
     *
     * @throws IllegalStateException when the key is new and the map is full (check {@link #isFull()} first)
     */
    public void put(ByteBuffer key, long offset) {
        digest(key);
        int slot = find(digestHi, digestLo);
        if (offsets[slot] == EMPTY) {
            if (isFull()) {
                throw new IllegalStateException("offset map is full at " + size + " keys");
            }
            hashHi[slot] = digestHi;
            hashLo[slot] = digestLo;
            size++;
        }
        offsets[slot] = offset;
        lastOffset = Math.max(lastOffset, offset);
    }

    /** The offset last put for {@code key}, or -1 when the key is not in the map. */
    public long get(ByteBuffer key) {
        digest(key);
        long o = offsets[find(digestHi, digestLo)];
        return o == EMPTY ? -1 : o;
    }

    private final byte[] digestBytes = new byte[16];
    private final ByteBuffer digestView = ByteBuffer.wrap(digestBytes);
    private long digestHi;
    private long digestLo;

    private void digest(ByteBuffer key) {
        md5.update(key.duplicate());
        try {
            md5.digest(digestBytes, 0, 16);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        digestHi = digestView.getLong(0);
        digestLo = digestView.getLong(8);
    }

    private int find(long hi, long lo) {
        int n = offsets.length;
        int slot = (int) Long.remainderUnsigned(hi ^ (lo * 0x9E3779B97F4A7C15L), n);
        while (offsets[slot] != EMPTY && (hashHi[slot] != hi || hashLo[slot] != lo)) {
            slot = slot + 1 == n ? 0 : slot + 1;
        }
        return slot;
    }
}
