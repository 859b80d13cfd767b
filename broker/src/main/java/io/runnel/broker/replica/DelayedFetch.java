package io.runnel.broker.replica;

import io.runnel.broker.purgatory.DelayedOperation;
import io.runnel.metadata.image.TopicPartition;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A fetch waiting for {@code min_bytes} (below the high watermarks for a consumer, below the log end offsets for a
 * follower), or {@code max_wait_ms}. Woken by high-watermark moves, leader appends and leadership changes of its
 * partitions (never polled); answers at once when a partition errs or a follower's log diverged. On completion it
 * reads afresh. Records a throttled follower may not get now (KIP-73) do not count toward {@code min_bytes}, so
 * such a fetch waits instead of returning empty at once. Thread-safe.
 */
final class DelayedFetch extends DelayedOperation {
    private final FetchParams params;
    private final Function<TopicPartition, Partition> partitions;
    private final FetchReader reader;
    private final CompletableFuture<List<FetchPartitionData>> future;

    DelayedFetch(FetchParams params, Function<TopicPartition, Partition> partitions,
                 FetchReader reader, CompletableFuture<List<FetchPartitionData>> future) {
        super(params.maxWaitMs());
        this.params = params;
        this.partitions = partitions;
        this.reader = reader;
        this.future = future;
    }

    @Override
    public boolean tryComplete() {
        long bytes = 0;
        for (FetchPartition fp : params.partitions()) {
            Partition p = partitions.apply(fp.tp());
            long available = p == null ? -1 : p.availableBytes(fp, params.replicaId(), params.readCommitted());
            if (available < 0) {
                return forceComplete();
            }
            if (!reader.heldBack(p, fp, params.replicaId())) {
                bytes += available;
            }
        }
        return bytes >= params.minBytes() && forceComplete();
    }

    @Override
    protected void onComplete() {
        try {
            future.complete(reader.read(params));
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
    }
}
