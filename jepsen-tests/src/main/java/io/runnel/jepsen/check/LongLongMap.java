package io.runnel.jepsen.check;

import java.util.Arrays;

/**
 * A hash map from {@code long} to {@code long} without boxing (open addressing, linear probing), for the checker's
 * per-partition indexes of offsets and values, which hold millions of entries on long histories. Any {@code long} may
 * be a key or a value. Not thread-safe; no removal.
 */
final class LongLongMap {
    /** Marks a free slot; the key {@code FREE} itself is kept aside ({@link #hasFreeKey}). */
    private static final long FREE = Long.MIN_VALUE;

    /** Key at {@code 2 * slot}, its value at {@code 2 * slot + 1}: one cache line per probe. */
    private long[] table;
    private int mask;
    /** Keys in {@link #table} (not counting {@link #FREE}). */
    private int used;
    private boolean hasFreeKey;
    private long freeKeyValue;

    LongLongMap() {
        allocate(16);
    }

    /** The number of keys. */
    int size() {
        return used + (hasFreeKey ? 1 : 0);
    }

    boolean containsKey(long key) {
        return key == FREE ? hasFreeKey : slotOf(key) >= 0;
    }

    /** The value of {@code key}, or {@code absent} when it has none. */
    long get(long key, long absent) {
        if (key == FREE) {
            return hasFreeKey ? freeKeyValue : absent;
        }
        int s = slotOf(key);
        return s < 0 ? absent : table[2 * s + 1];
    }

    /** Maps {@code key} to {@code value}, replacing any earlier value. */
    void put(long key, long value) {
        if (key == FREE) {
            hasFreeKey = true;
            freeKeyValue = value;
            return;
        }
        int s = claim(key);
        table[2 * s + 1] = value;
    }

    /**
     * The value of {@code key} if it has one (left unchanged), else maps it to {@code value} and returns
     * {@code value}: one probe for "insert, or tell me what was there".
     */
    long getOrPut(long key, long value) {
        if (key == FREE) {
            if (!hasFreeKey) {
                hasFreeKey = true;
                freeKeyValue = value;
            }
            return freeKeyValue;
        }
        int before = used;
        int s = claim(key);
        if (used != before) {
            table[2 * s + 1] = value;
        }
        return table[2 * s + 1];
    }

    /** Every key, in no particular order (a new array). */
    long[] keys() {
        long[] out = new long[size()];
        int n = 0;
        for (int i = 0; i < table.length; i += 2) {
            if (table[i] != FREE) {
                out[n++] = table[i];
            }
        }
        if (hasFreeKey) {
            out[n] = FREE;
        }
        return out;
    }

    /** Every key in ascending order (a new array). */
    long[] sortedKeys() {
        long[] out = keys();
        Arrays.sort(out);
        return out;
    }

    private int slotOf(long key) {
        int i = hash(key) & mask;
        for (long k = table[2 * i]; k != FREE; k = table[2 * i]) {
            if (k == key) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** The slot of {@code key} (not {@link #FREE}), claimed (and {@code used} incremented) when it was not there. */
    private int claim(long key) {
        int i = hash(key) & mask;
        for (long k = table[2 * i]; k != FREE; k = table[2 * i]) {
            if (k == key) {
                return i;
            }
            i = (i + 1) & mask;
        }
        if ((used + 1) * 3L > (mask + 1) * 2L) {
            grow();
            return claim(key);
        }
        table[2 * i] = key;
        used++;
        return i;
    }

    private void grow() {
        long[] old = table;
        allocate((mask + 1) * 2);
        for (int j = 0; j < old.length; j += 2) {
            if (old[j] != FREE) {
                int i = hash(old[j]) & mask;
                while (table[2 * i] != FREE) {
                    i = (i + 1) & mask;
                }
                table[2 * i] = old[j];
                table[2 * i + 1] = old[j + 1];
            }
        }
    }

    private void allocate(int capacity) {
        table = new long[2 * capacity];
        Arrays.fill(table, FREE);
        mask = capacity - 1;
    }

    /** MurmurHash3's 64-bit finalizer: offsets and values are dense runs, which plain masking would cluster. */
    private static int hash(long key) {
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }
}
