package io.runnel.broker.node;

import io.runnel.broker.producer.ProducerIdBlock;
import io.runnel.broker.producer.ProducerIdSource;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.errors.ErrorCode;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Producer-id blocks allocated by the active controller through the metadata log (KIP-730's AllocateProducerIds),
 * so that no two brokers ever hand out the same id.
 */
final class ControllerProducerIds implements ProducerIdSource {
    private final ControllerClient controller;
    private final int brokerId;
    private final LongSupplier brokerEpoch;

    ControllerProducerIds(ControllerClient controller, int brokerId, LongSupplier brokerEpoch) {
        this.controller = controller;
        this.brokerId = brokerId;
        this.brokerEpoch = brokerEpoch;
    }

    @Override
    public CompletableFuture<ProducerIdBlock> nextBlock() {
        long epoch = brokerEpoch.getAsLong();
        if (epoch < 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker " + brokerId
                    + " is not registered with the controller yet"));
        }
        return controller.allocateProducerIds(brokerId, epoch).thenApply(r -> {
            if (r.getErrorCode() != 0) {
                throw new IllegalStateException("producer id allocation failed: "
                        + ErrorCode.forCode(r.getErrorCode()) + " " + r.getErrorMessage());
            }
            return new ProducerIdBlock(r.getProducerIdStart(), r.getProducerIdLen());
        });
    }
}
