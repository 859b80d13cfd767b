package io.runnel.broker.producer;

import java.util.concurrent.CompletableFuture;

/**
 * Hands out producer ids for InitProducerId from blocks of a {@link ProducerIdSource}, fetching the next block
 * when the current one is 90% used so that callers rarely wait. Thread-safe.
 */
public final class ProducerIdManager {
    private final ProducerIdSource source;
    private ProducerIdBlock current;
    private long next;
    private ProducerIdBlock queued;
    private CompletableFuture<ProducerIdBlock> pending;

    /** @param source where blocks come from */
    public ProducerIdManager(ProducerIdSource source) {
        this.source = source;
    }

    /**
     * The next unused producer id.
     *
     * @return completes at once while the current block lasts; otherwise when the next block arrives, or
     *         exceptionally when the source fails
     */
    public CompletableFuture<Long> generateProducerId() {
        CompletableFuture<ProducerIdBlock> wait;
        synchronized (this) {
            long id = tryNext();
            if (id >= 0) {
                return CompletableFuture.completedFuture(id);
            }
            wait = requestBlock();
        }
        return wait.thenCompose(block -> generateProducerId());
    }

    private long tryNext() {
        if (current == null || next > current.lastId()) {
            if (queued == null) {
                return -1;
            }
            current = queued;
            queued = null;
            next = current.firstId();
        }
        long id = next++;
        if (queued == null && (next - current.firstId()) * 10 >= current.size() * 9L) {
            requestBlock();
        }
        return id;
    }

    private CompletableFuture<ProducerIdBlock> requestBlock() {
        if (pending != null && !pending.isDone()) {
            return pending;
        }
        if (queued != null) {
            return CompletableFuture.completedFuture(queued);
        }
        CompletableFuture<ProducerIdBlock> request = source.nextBlock().thenApply(block -> {
            synchronized (this) {
                queued = block;
            }
            return block;
        });
        pending = request;
        return request;
    }
}
