package io.runnel.broker.handler;

import io.runnel.broker.producer.ProducerIdManager;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.txn.TransactionCoordinator;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * InitProducerId (key 22, v0-5; KIP-98, KIP-360) for idempotent producers: a fresh producer id from the
 * {@link ProducerIdManager} with epoch 0, as Kafka does without a transactional id (a producer bumping its epoch
 * after an error gets a new id). When no id block can be obtained within 10 s the answer is
 * COORDINATOR_LOAD_IN_PROGRESS (14), which clients retry. With a transactional id the transaction coordinator
 * answers ({@link TransactionCoordinator#initProducerId}): NOT_COORDINATOR (16), CONCURRENT_TRANSACTIONS (51),
 * INVALID_TRANSACTION_TIMEOUT (50), PRODUCER_FENCED (90; INVALID_PRODUCER_EPOCH 47 below v4, KIP-588). v3+ carries
 * the producer id and epoch the client already has (KIP-360).
 */
public final class InitProducerIdHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(InitProducerIdHandler.class);
    private static final long BLOCK_WAIT_MS = 10_000;
    private final ProducerIdManager producerIds;
    private final TransactionCoordinator transactions;

    public InitProducerIdHandler(ProducerIdManager producerIds, TransactionCoordinator transactions) {
        this.producerIds = producerIds;
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        InitProducerIdRequestData data = (InitProducerIdRequestData) request.body();
        InitProducerIdResponseData response = new InitProducerIdResponseData().setThrottleTimeMs(0)
                .setProducerId(-1L).setProducerEpoch((short) -1);
        if (data.transactionalId() != null) {
            boolean kip360 = request.version() >= 3;
            return transactions.initProducerId(data.transactionalId(), data.transactionTimeoutMs(),
                    kip360 ? data.producerId() : -1L, kip360 ? data.producerEpoch() : (short) -1).thenApply(r -> {
                        Errors e = r.error() == Errors.PRODUCER_FENCED && request.version() < 4
                                ? Errors.INVALID_PRODUCER_EPOCH : r.error();
                        return ApiResponse.send(response.setErrorCode(e.code()).setProducerId(r.producerId())
                                .setProducerEpoch(r.producerEpoch()));
                    });
        }
        return producerIds.generateProducerId().orTimeout(BLOCK_WAIT_MS, TimeUnit.MILLISECONDS)
                .handle((id, error) -> {
                    if (error != null) {
                        LOG.warn("No producer id for {}: {}", context, error.toString());
                        return ApiResponse.send(response.setErrorCode(Errors.COORDINATOR_LOAD_IN_PROGRESS.code()));
                    }
                    return ApiResponse.send(response.setErrorCode(Errors.NONE.code()).setProducerId(id)
                            .setProducerEpoch((short) 0));
                });
    }
}
