package io.runnel.metadata.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.runnel.metadata.image.MetadataDelta;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.MetadataProvenance;
import io.runnel.metadata.quorum.TestSupport;
import io.runnel.metadata.record.MetadataRecordBatch;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RecentEntriesTest {
    private static final String CLUSTER = "AAAAAAAAAAAAAAAAAAAAAA";

    /** Appends a one-topic batch at {@code index} to the window and returns the new image. */
    private static MetadataImage append(RecentEntries w, MetadataImage base, long index) {
        MetadataRecordBatch batch = TestSupport.topicBatch("t" + index);
        MetadataDelta d = new MetadataDelta(base);
        d.replayEntry(batch, index);
        MetadataImage next = d.apply(new MetadataProvenance(1, index));
        w.append(1, index, batch.toByteString(), next);
        return next;
    }

    private static List<Long> indexes(RecentEntries.Read r) {
        return r.entries().stream().map(RecentEntries.Entry::index).toList();
    }

    @Test
    void entriesAfterTheOffsetComeBackInOrderAndTheLastOffsetCoversSkippedEntries() {
        RecentEntries w = new RecentEntries(MetadataImage.empty(CLUSTER), 10, 1 << 20);
        MetadataImage img = MetadataImage.empty(CLUSTER);
        w.advance(0, img); // Ratis' no-op entry of the first term
        for (long i = 1; i <= 4; i++) {
            img = append(w, img, i);
        }
        w.advance(5, img); // a configuration entry: nothing to ship, but fetchers move past it

        RecentEntries.Read r = w.read(2, 1 << 20);
        assertNull(r.snapshot());
        assertEquals(List.of(3L, 4L), indexes(r));
        assertEquals(5, r.lastOffset());
        assertEquals(5, r.appliedIndex());

        RecentEntries.Read none = w.read(5, 1 << 20);
        assertEquals(List.of(), none.entries());
        assertEquals(5, none.lastOffset());
        assertNull(none.snapshot());
    }

    @Test
    void nothingYetOrBelowTheFloorGetsTheImageAsASnapshot() {
        RecentEntries w = new RecentEntries(MetadataImage.empty(CLUSTER), 3, 1 << 20);
        MetadataImage img = MetadataImage.empty(CLUSTER);
        for (long i = 0; i < 6; i++) {
            img = append(w, img, i);
        }
        assertEquals(3, w.size());
        assertEquals(2, w.floor()); // 0, 1, 2 evicted

        RecentEntries.Read first = w.read(-1, 1 << 20);
        assertSame(img, first.snapshot());
        assertEquals(List.of(), first.entries());
        assertEquals(5, first.lastOffset());

        RecentEntries.Read behind = w.read(1, 1 << 20);
        assertSame(img, behind.snapshot());
        RecentEntries.Read atFloor = w.read(2, 1 << 20);
        assertNull(atFloor.snapshot());
        assertEquals(List.of(3L, 4L, 5L), indexes(atFloor));
    }

    @Test
    void maxBytesLimitsAResponseButNeverBelowOneEntry() {
        RecentEntries w = new RecentEntries(MetadataImage.empty(CLUSTER), 10, 1 << 20);
        MetadataImage img = MetadataImage.empty(CLUSTER);
        for (long i = 0; i < 4; i++) {
            img = append(w, img, i);
        }
        int one = TestSupport.topicBatch("t0").getSerializedSize();
        RecentEntries.Read tiny = w.read(0, 1);
        assertEquals(List.of(1L), indexes(tiny));
        assertEquals(1, tiny.lastOffset(), "the fetcher accounts only for what it got");
        RecentEntries.Read two = w.read(0, 2 * one + 1);
        assertEquals(List.of(1L, 2L), indexes(two));
        assertEquals(2, two.lastOffset());
    }

    @Test
    void theByteBoundEvictsOldEntriesButKeepsTheNewest() {
        int one = TestSupport.topicBatch("t0").getSerializedSize();
        RecentEntries w = new RecentEntries(MetadataImage.empty(CLUSTER), 100, one);
        MetadataImage img = MetadataImage.empty(CLUSTER);
        for (long i = 0; i < 5; i++) {
            img = append(w, img, i);
        }
        assertEquals(2, w.size(), "one entry besides the newest fits in the byte bound");
        assertEquals(2, w.floor());
        assertEquals(List.of(3L, 4L), indexes(w.read(2, 1 << 20)));

        RecentEntries single = new RecentEntries(MetadataImage.empty(CLUSTER), 100, 1);
        append(single, MetadataImage.empty(CLUSTER), 0);
        assertEquals(1, single.size(), "an entry larger than the bound is still kept alone");
    }

    @Test
    void aLoadedSnapshotRestartsTheWindowAtItsIndexAndNothingGoesBackwards() {
        RecentEntries w = new RecentEntries(MetadataImage.empty(CLUSTER), 10, 1 << 20);
        MetadataImage img = append(w, MetadataImage.empty(CLUSTER), 0);
        MetadataImage loaded = img.withProvenance(new MetadataProvenance(2, 40));
        w.reset(loaded, 42);
        assertEquals(42, w.floor());
        assertEquals(42, w.appliedIndex());
        assertSame(loaded, w.read(10, 1 << 20).snapshot());
        w.append(1, 41, ByteString.copyFromUtf8("stale"), img);
        w.advance(30, img);
        assertEquals(42, w.appliedIndex());
        assertEquals(0, w.size());
        assertSame(loaded, w.image());
    }

    @Test
    void waitersWakeOnceTheAppliedIndexPassesTheirOffset() {
        RecentEntries w = new RecentEntries(MetadataImage.empty(CLUSTER), 10, 1 << 20);
        MetadataImage img = append(w, MetadataImage.empty(CLUSTER), 0);
        assertTrue(w.awaitAfter(-1).isDone());
        CompletableFuture<Void> atZero = w.awaitAfter(0);
        CompletableFuture<Void> atOne = w.awaitAfter(1);
        assertFalse(atZero.isDone());
        w.advance(1, img);
        assertTrue(atZero.isDone());
        assertFalse(atOne.isDone());
        atOne.complete(null); // a caller giving up forgets its waiter
        append(w, img, 2);
        assertTrue(w.awaitAfter(1).isDone());
    }

    @Test
    void boundsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new RecentEntries(MetadataImage.empty(CLUSTER), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RecentEntries(MetadataImage.empty(CLUSTER), 1, 0));
    }
}
