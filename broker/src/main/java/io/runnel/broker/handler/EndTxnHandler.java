package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.txn.TransactionCoordinator;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.concurrent.CompletableFuture;

/**
 * EndTxn (key 26, v0-4; KIP-98): commits or aborts the producer's transaction
 * ({@link TransactionCoordinator#endTxn}). v5 (transactions v2, KIP-890 part 2, epoch bump per transaction) is not
 * advertised: Runnel does not finalize the {@code transaction.version} feature, so clients use v0-4.
 * PRODUCER_FENCED becomes INVALID_PRODUCER_EPOCH (47) below v2 (KIP-588).
 */
public final class EndTxnHandler implements ApiHandler {
    private final TransactionCoordinator coordinator;

    public EndTxnHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.END_TXN;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        EndTxnRequestData d = (EndTxnRequestData) request.body();
        return coordinator.endTxn(d.transactionalId(), d.producerId(), d.producerEpoch(), d.committed())
                .thenApply(e -> ApiResponse.send(new EndTxnResponseData().setThrottleTimeMs(0)
                        .setErrorCode(AddOffsetsToTxnHandler.fenced(e, request.version()).code())
                        .setProducerId(-1L).setProducerEpoch((short) -1)));
    }
}
