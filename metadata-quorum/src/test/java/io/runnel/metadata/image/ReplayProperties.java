package io.runnel.metadata.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.record.MetadataRecordBatch;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Issue 3 acceptance: snapshot + replay of the rest equals a full replay; image to bytes to image is the identity.
 * The batches cover every record type, transaction state and pending transactional offsets included. */
class ReplayProperties {
    private static final String CLUSTER = "MkU3OEVBNTcwNTJENDM2Qg";

    static MetadataImage replay(MetadataImage start, List<MetadataRecordBatch> batches, int from) {
        MetadataImage image = start;
        for (int i = from; i < batches.size(); i++) {
            MetadataDelta delta = new MetadataDelta(image);
            delta.replay(batches.get(i));
            image = delta.apply(new MetadataProvenance(1, i + 1));
        }
        return image;
    }

    @Property(tries = 200)
    void snapshotAtAnyPointThenReplayingTheRestEqualsReplayingEverything(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int count, @ForAll @IntRange(max = 60) int cut)
            throws Exception {
        List<MetadataRecordBatch> batches = new RandomBatches(seed).generate(CLUSTER, count);
        int at = Math.min(cut, batches.size());
        MetadataImage full = replay(MetadataImage.empty(CLUSTER), batches, 0);
        MetadataImage prefix = replay(MetadataImage.empty(CLUSTER), batches.subList(0, at), 0);
        MetadataImage loaded = ImageSnapshot.unframe(Path.of("mem"), ImageSnapshot.frame(prefix));
        MetadataImage resumed = replay(loaded, batches, at);
        assertEquals(full, resumed);
        assertEquals(full.digest(), resumed.digest());
    }

    @Property(tries = 200)
    void imageToSnapshotBytesToImageIsTheIdentity(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int count)
            throws Exception {
        MetadataImage image = replay(MetadataImage.empty(CLUSTER), new RandomBatches(seed).generate(CLUSTER, count), 0);
        byte[] bytes = ImageCodec.toBytes(image);
        MetadataImage back = ImageCodec.fromBytes(bytes);
        assertEquals(image, back);
        assertArrayEquals(bytes, ImageCodec.toBytes(back));
        assertEquals(image, ImageSnapshot.unframe(Path.of("mem"), ImageSnapshot.frame(image)));
    }

    /** The generators reach the transaction records: some images hold transactions and pending offsets. */
    @Property(tries = 1)
    void randomBatchesCoverTransactionsAndPendingTxnOffsets() {
        boolean transactions = false;
        boolean pending = false;
        for (long seed = 0; seed < 20; seed++) {
            MetadataImage image = replay(MetadataImage.empty(CLUSTER), new RandomBatches(seed).generate(CLUSTER, 60),
                    0);
            transactions |= !image.transactions().isEmpty();
            pending |= !image.pendingTxnOffsets().isEmpty();
        }
        assertTrue(transactions && pending, "transactions " + transactions + ", pending " + pending);
    }

    @Property(tries = 100)
    void anySingleByteDamageIsDetected(@ForAll long seed, @ForAll @IntRange(min = 0, max = 10_000) int where,
                                       @ForAll @IntRange(min = 1, max = 255) int flip) {
        MetadataImage image = replay(MetadataImage.empty(CLUSTER), new RandomBatches(seed).generate(CLUSTER, 10), 0);
        byte[] framed = ImageSnapshot.frame(image);
        framed[where % framed.length] ^= (byte) flip;
        CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class,
                () -> ImageSnapshot.unframe(Path.of("snapshot.1_10"), framed));
        assertEquals(Path.of("snapshot.1_10"), e.file());
    }
}
