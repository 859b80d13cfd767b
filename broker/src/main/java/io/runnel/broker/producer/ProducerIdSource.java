package io.runnel.broker.producer;

import java.util.concurrent.CompletableFuture;

/**
 * Where a broker gets blocks of producer ids. The production implementation asks the active controller, which
 * writes a ProducerIds record to the metadata log (KIP-730) and answers with the block; the node wiring supplies it.
 * {@link TestingProducerIdSource} is for tests only.
 */
@FunctionalInterface
public interface ProducerIdSource {
    /**
     * Allocates the next block for this broker.
     *
     * @return the block; fails when the controller cannot be reached (InitProducerId then answers
     *         COORDINATOR_LOAD_IN_PROGRESS and the client retries)
     */
    CompletableFuture<ProducerIdBlock> nextBlock();
}
