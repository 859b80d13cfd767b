package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.txn.TransactionCoordinator;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.CompletableFuture;

/**
 * AddOffsetsToTxn (key 25, v0-4; KIP-98): the consumer group's offsets join the producer's transaction, so that its
 * TxnOffsetCommits commit or abort with it. Sent by transactions v1 producers (a transaction opened here runs with
 * client transaction version 1); under v2 the group's coordinator adds the group itself on TxnOffsetCommit v5, with
 * this request when the transaction coordinator is another broker. PRODUCER_FENCED becomes INVALID_PRODUCER_EPOCH (47) below v2 (KIP-588).
 */
public final class AddOffsetsToTxnHandler implements ApiHandler {
    private final TransactionCoordinator coordinator;

    public AddOffsetsToTxnHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_OFFSETS_TO_TXN;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        AddOffsetsToTxnRequestData d = (AddOffsetsToTxnRequestData) request.body();
        return coordinator.addOffsets(d.transactionalId(), d.producerId(), d.producerEpoch(), d.groupId(), 1)
                .thenApply(e -> ApiResponse.send(new AddOffsetsToTxnResponseData().setThrottleTimeMs(0)
                        .setErrorCode(fenced(e, request.version()).code())));
    }

    /** PRODUCER_FENCED (KIP-588) as older clients know it: INVALID_PRODUCER_EPOCH below v2. */
    static Errors fenced(Errors e, short version) {
        return e == Errors.PRODUCER_FENCED && version < 2 ? Errors.INVALID_PRODUCER_EPOCH : e;
    }
}
