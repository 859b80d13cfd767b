package io.runnel.broker.producer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * FOR TESTS ONLY: hands out consecutive blocks from a counter in this process. Ids are unique within one instance
 * only, not across brokers or restarts, so it must never be the production {@link ProducerIdSource} (a restarted
 * broker would reuse ids whose epochs the logs remember).
 */
public final class TestingProducerIdSource implements ProducerIdSource {
    private final AtomicLong next;
    private final int blockSize;

    /**
     * @param firstId   first id handed out
     * @param blockSize ids per block
     */
    public TestingProducerIdSource(long firstId, int blockSize) {
        this.next = new AtomicLong(firstId);
        this.blockSize = blockSize;
    }

    @Override
    public CompletableFuture<ProducerIdBlock> nextBlock() {
        return CompletableFuture.completedFuture(new ProducerIdBlock(next.getAndAdd(blockSize), blockSize));
    }
}
