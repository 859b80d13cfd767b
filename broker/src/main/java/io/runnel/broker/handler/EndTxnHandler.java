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
 * EndTxn (key 26, v0-5; KIP-98): commits or aborts the producer's transaction
 * ({@link TransactionCoordinator#endTxn}). v5 is transactions v2 (KIP-890 part 2; advertised while
 * {@code transaction.version} is 2): the coordinator bumps the producer epoch and answers the producer id and epoch
 * the client continues with (a new producer id at epoch 0 once the epoch is exhausted); below v5 they are not sent.
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
        short v = request.version();
        return coordinator.endTxn(d.transactionalId(), d.producerId(), d.producerEpoch(), d.committed(),
                v >= 5 ? 2 : 1).thenApply(r -> {
                    EndTxnResponseData out = new EndTxnResponseData().setThrottleTimeMs(0)
                            .setErrorCode(AddOffsetsToTxnHandler.fenced(r.error(), v).code());
                    if (v >= 5) {
                        out.setProducerId(r.producerId()).setProducerEpoch(r.producerEpoch());
                    }
                    return ApiResponse.send(out);
                });
    }
}
