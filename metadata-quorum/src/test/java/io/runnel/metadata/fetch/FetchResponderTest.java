package io.runnel.metadata.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.image.ImageCodec;
import io.runnel.metadata.image.MetadataDelta;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.MetadataProvenance;
import io.runnel.metadata.quorum.TestSupport;
import io.runnel.metadata.record.MetadataRecordBatch;
import io.runnel.metadata.rpc.FetchMetadataRequest;
import io.runnel.metadata.rpc.FetchMetadataResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FetchResponderTest {
    private static final String CLUSTER = "AAAAAAAAAAAAAAAAAAAAAA";
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final RecentEntries window = new RecentEntries(MetadataImage.empty(CLUSTER), 4, 1 << 20);
    private final FetchResponder responder = new FetchResponder(window, executor);
    private MetadataImage image = MetadataImage.empty(CLUSTER);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private void append(long index) {
        MetadataRecordBatch batch = TestSupport.topicBatch("t" + index);
        MetadataDelta d = new MetadataDelta(image);
        d.replayEntry(batch, index);
        image = d.apply(new MetadataProvenance(3, index));
        window.append(3, index, batch.toByteString(), image);
    }

    private static FetchMetadataRequest request(long offset, int maxWaitMs) {
        return FetchMetadataRequest.newBuilder().setReplicaId(7).setFetchOffset(offset).setMaxWaitMs(maxWaitMs)
                .build();
    }

    @Test
    void aCaughtUpFetchWaitsForTheNextEntryAndGetsIt() throws Exception {
        append(0);
        CompletableFuture<FetchMetadataResponse> f = responder.fetch(request(0, FetchResponder.MAX_WAIT_MS));
        Thread.sleep(100);
        assertFalse(f.isDone(), "nothing new yet: the fetch waits");
        append(1);
        FetchMetadataResponse r = f.get(10, TimeUnit.SECONDS);
        assertEquals(1, r.getEntriesCount());
        assertEquals(1, r.getEntries(0).getIndex());
        assertEquals(3, r.getEntries(0).getTerm());
        assertEquals(TestSupport.topicBatch("t1"), MetadataRecordBatch.parseFrom(r.getEntries(0).getBatch()));
        assertEquals(1, r.getLastOffset());
        assertEquals(1, r.getHighWatermark());
        assertFalse(r.hasSnapshot());
    }

    @Test
    void aFetchWithNothingNewEndsAfterItsWaitWithNoEntries() throws Exception {
        append(0);
        FetchMetadataResponse r = responder.fetch(request(0, 50)).get(10, TimeUnit.SECONDS);
        assertEquals(0, r.getEntriesCount());
        assertEquals(0, r.getLastOffset());
        assertFalse(r.hasSnapshot());
        assertEquals(0, window.waiting(), "the timed-out waiter is gone from the window");
    }

    @Test
    void aNewBrokerGetsTheImageAsASnapshotAndABrokerBehindTheWindowToo() throws Exception {
        for (long i = 0; i < 8; i++) {
            append(i);
        }
        FetchMetadataResponse fresh = responder.fetch(request(-1, 500)).get(10, TimeUnit.SECONDS);
        assertTrue(fresh.hasSnapshot());
        assertEquals(image, ImageCodec.fromSnapshot(fresh.getSnapshot()));
        assertEquals(0, fresh.getEntriesCount());
        assertEquals(7, fresh.getLastOffset());

        FetchMetadataResponse behind = responder.fetch(request(2, 500)).get(10, TimeUnit.SECONDS);
        assertTrue(behind.hasSnapshot(), "entries 3 and later are no longer all in the window of 4");
        FetchMetadataResponse within = responder.fetch(request(4, 500)).get(10, TimeUnit.SECONDS);
        assertFalse(within.hasSnapshot());
        assertEquals(3, within.getEntriesCount());
    }
}
