package io.runnel.log.cleaner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OffsetMapTest {
    private static ByteBuffer key(String k) {
        return ByteBuffer.wrap(k.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLaterPutOfTheSameKeyWinsAndAbsentKeysAreMinusOne() {
        OffsetMap map = new OffsetMap(100 * OffsetMap.BYTES_PER_ENTRY, 0.9);
        map.put(key("a"), 3);
        map.put(key("b"), 4);
        map.put(key("a"), 7);
        assertEquals(7, map.get(key("a")));
        assertEquals(4, map.get(key("b")));
        assertEquals(-1, map.get(key("c")));
        assertEquals(2, map.size());
        assertEquals(7, map.lastOffset());
    }

    /** A load factor of 1.0 filled every slot, and a lookup of an absent key then probed forever. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFullMapStillAnswersForAbsentKeysAtLoadFactorOne() {
        OffsetMap map = new OffsetMap(4 * OffsetMap.BYTES_PER_ENTRY, 1.0);
        assertEquals(3, map.capacity(), "one of the 4 slots stays empty");
        for (int i = 0; !map.isFull(); i++) {
            map.put(key("k" + i), i);
        }
        assertTrue(map.isFull());
        for (int i = 0; i < 1000; i++) {
            assertEquals(-1, map.get(key("absent-" + i)));
        }
        assertThrows(IllegalStateException.class, () -> map.put(key("one-more"), 99));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theSmallestMapHoldsOneKey() {
        OffsetMap map = new OffsetMap(0, 1.0);
        assertEquals(1, map.capacity());
        map.put(key("x"), 5);
        assertEquals(5, map.get(key("x")));
        assertEquals(-1, map.get(key("y")));
    }

    /** Many keys in a map filled to its load factor: every key keeps its last offset, absent keys are -1. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aMapFilledToItsLoadFactorKeepsEveryKey() {
        OffsetMap map = new OffsetMap(10_007L * OffsetMap.BYTES_PER_ENTRY, 0.9);
        int n = map.capacity();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) {
                map.put(key("key-" + i), round * n + i);
            }
        }
        assertEquals(n, map.size());
        for (int i = 0; i < n; i++) {
            assertEquals(n + i, map.get(key("key-" + i)));
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(-1, map.get(key("other-" + i)));
        }
    }
}
