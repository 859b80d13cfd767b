package io.runnel.metadata.fetch;

import io.runnel.metadata.image.ImageCodec;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.record.MetadataSnapshot;
import io.runnel.metadata.rpc.FetchMetadataRequest;
import io.runnel.metadata.rpc.FetchMetadataResponse;
import io.runnel.metadata.rpc.MetadataEntry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Answers FetchMetadata (controller_api.proto) from a controller's {@link RecentEntries}: the committed entries after
 * the broker's offset, or a snapshot of the image when the broker has nothing yet or is behind the window. A fetch
 * with nothing new waits (long poll, without holding a thread) until an entry is applied or {@code max_wait_ms}
 * (capped at {@value #MAX_WAIT_MS} ms) passes, then answers with whatever there is, possibly nothing. Responses are
 * built on {@code executor}, never on the apply thread that wakes a waiting fetch. Thread-safe.
 */
public final class FetchResponder {
    /** The longest a fetch may wait for news, ms: below the controller client's 5 s per attempt. */
    public static final int MAX_WAIT_MS = 2_000;
    /** Batch bytes per response when the request says 0. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;

    private final RecentEntries window;
    private final Executor executor;
    private volatile SnapshotCache lastSnapshot;

    private record SnapshotCache(MetadataImage image, MetadataSnapshot snapshot) {
    }

    public FetchResponder(RecentEntries window, Executor executor) {
        this.window = window;
        this.executor = executor;
    }

    /** The answer to one fetch; completes within {@code min(max_wait_ms, MAX_WAIT_MS)} plus the building time. */
    public CompletableFuture<FetchMetadataResponse> fetch(FetchMetadataRequest request) {
        long offset = request.getFetchOffset();
        int maxBytes = request.getMaxBytes() > 0 ? request.getMaxBytes() : DEFAULT_MAX_BYTES;
        long waitMs = Math.max(0, Math.min(request.getMaxWaitMs(), MAX_WAIT_MS));
        CompletableFuture<Void> news = waitMs == 0 ? CompletableFuture.completedFuture(null)
                : window.awaitAfter(offset);
        if (!news.isDone()) {
            news.completeOnTimeout(null, waitMs, TimeUnit.MILLISECONDS);
        }
        return news.thenApplyAsync(v -> respond(offset, maxBytes), executor);
    }

    private FetchMetadataResponse respond(long offset, int maxBytes) {
        RecentEntries.Read read = window.read(offset, maxBytes);
        FetchMetadataResponse.Builder out = FetchMetadataResponse.newBuilder().setLastOffset(read.lastOffset())
                .setHighWatermark(read.appliedIndex());
        if (read.snapshot() != null) {
            out.setSnapshot(snapshotOf(read.snapshot()));
        }
        for (RecentEntries.Entry e : read.entries()) {
            out.addEntries(MetadataEntry.newBuilder().setTerm(e.term()).setIndex(e.index()).setBatch(e.batch()));
        }
        return out.build();
    }

    /** Serializing an image costs; brokers starting together get the same one. */
    private MetadataSnapshot snapshotOf(MetadataImage image) {
        SnapshotCache cached = lastSnapshot;
        if (cached != null && cached.image == image) {
            return cached.snapshot;
        }
        MetadataSnapshot snapshot = ImageCodec.toSnapshot(image);
        lastSnapshot = new SnapshotCache(image, snapshot);
        return snapshot;
    }
}
