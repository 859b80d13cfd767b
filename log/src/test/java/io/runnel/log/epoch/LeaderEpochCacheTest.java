package io.runnel.log.epoch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LeaderEpochCacheTest {
    @TempDir
    Path dir;

    @Test
    void assignIgnoresOlderEpochsAndDropsUnconfirmedEntries() {
        LeaderEpochCache cache = LeaderEpochCache.empty(dir.resolve("cp"), () -> 100);
        cache.assign(1, 0);
        cache.assign(3, 10);
        cache.assign(2, 20);
        assertEquals(List.of(new EpochEntry(1, 0), new EpochEntry(3, 10)), cache.entries());
        cache.assign(5, 5);
        assertEquals(List.of(new EpochEntry(1, 0), new EpochEntry(5, 5)), cache.entries());
    }

    @Test
    void truncationFromBothEnds() {
        LeaderEpochCache cache = LeaderEpochCache.empty(dir.resolve("cp"), () -> 100);
        cache.assign(1, 0);
        cache.assign(2, 10);
        cache.assign(3, 20);
        cache.truncateFromStart(15);
        assertEquals(List.of(new EpochEntry(2, 15), new EpochEntry(3, 20)), cache.entries());
        cache.truncateFromEnd(20);
        assertEquals(List.of(new EpochEntry(2, 15)), cache.entries());
    }

    @Test
    void checkpointRoundTripsAndCorruptFilesAreRejected() throws IOException {
        Path file = dir.resolve("leader-epoch-checkpoint");
        LeaderEpochCache cache = LeaderEpochCache.empty(file, () -> 50);
        cache.assign(4, 7);
        cache.assign(6, 30);
        assertEquals("0\n2\n4 7\n6 30\n", Files.readString(file));
        assertEquals(cache.entries(), LeaderEpochCache.load(file, () -> 50).entries());
        assertEquals(new EpochEndOffset(6, 50), LeaderEpochCache.load(file, () -> 50).endOffsetFor(6));
        Files.writeString(file, "0\n2\n6 7\n4 30\n");
        assertNull(LeaderEpochCache.load(file, () -> 50));
        Files.writeString(file, "0\n3\n6 7\n");
        assertNull(LeaderEpochCache.load(file, () -> 50));
    }
}
