package io.runnel.jepsen.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The ops that showed each (key, item) pair, e.g. (offset, value) for inconsistent offsets or (value, offset) for
 * duplicates, kept as three primitive arrays while the history is read (24 bytes a witness, however many there are)
 * and grouped only when reported, one key at a time.
 */
final class Witnesses {
    private long[] keys = new long[16];
    private long[] items = new long[16];
    private long[] ops = new long[16];
    private int size;

    /** Op {@code op} showed {@code item} under {@code key}; ops must be added in ascending order. */
    void add(long key, long item, long op) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            items = Arrays.copyOf(items, size * 2);
            ops = Arrays.copyOf(ops, size * 2);
        }
        keys[size] = key;
        items[size] = item;
        ops[size] = op;
        size++;
    }

    /**
     * Calls {@code f} once per key, ascending, with item -> the distinct ops that showed it (ascending), items
     * ascending.
     */
    void forEachKey(BiConsumer<Long, Map<Long, List<Long>>> f) {
        LongLongMap counts = new LongLongMap();
        for (int i = 0; i < size; i++) {
            counts.put(keys[i], counts.get(keys[i], 0) + 1);
        }
        long[] distinct = counts.sortedKeys();
        // Counting sort of the witnesses by key, stable: within a key they stay in op order.
        LongLongMap start = new LongLongMap();
        long at = 0;
        for (long key : distinct) {
            start.put(key, at);
            at += counts.get(key, 0);
        }
        int[] byKey = new int[size];
        for (int i = 0; i < size; i++) {
            long s = start.get(keys[i], 0);
            byKey[(int) s] = i;
            start.put(keys[i], s + 1);
        }
        int pos = 0;
        for (long key : distinct) {
            int end = pos + (int) counts.get(key, 0);
            Map<Long, List<Long>> group = new TreeMap<>();
            for (; pos < end; pos++) {
                int w = byKey[pos];
                List<Long> list = group.computeIfAbsent(items[w], k -> new ArrayList<>());
                if (list.isEmpty() || list.get(list.size() - 1) != ops[w]) {
                    list.add(ops[w]);
                }
            }
            f.accept(key, group);
        }
    }
}
