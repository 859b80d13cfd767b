package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.errors.ApiError;
import org.apache.kafka.common.message.UnregisterBrokerRequestData;
import org.apache.kafka.common.message.UnregisterBrokerResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.CompletableFuture;

/**
 * UnregisterBroker (key 64, v0; KIP-631's decommissioning, as {@code kafka-cluster.sh unregister} sends it), forwarded
 * to the active controller: the registration of a broker that is gone is removed from the metadata, so it no longer
 * appears in Metadata or DescribeCluster. Errors: BROKER_ID_NOT_REGISTERED (102) for an unknown id; INVALID_REQUEST
 * (42) while the broker still heartbeats (it would register again at once); NOT_CONTROLLER (41) or REQUEST_TIMED_OUT
 * (7) when the controller cannot be reached. Replicas assigned to the broker stay until they are reassigned.
 */
public final class UnregisterBrokerHandler implements ApiHandler {
    private final ControllerClient controller;
    private final ImageWaiter images;

    public UnregisterBrokerHandler(ControllerClient controller, ImageWaiter images) {
        this.controller = controller;
        this.images = images;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.UNREGISTER_BROKER;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        int id = ((UnregisterBrokerRequestData) request.body()).brokerId();
        CompletableFuture<io.runnel.metadata.rpc.UnregisterBrokerResponse> call;
        try {
            call = controller.unregisterBroker(id);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((resp, error) -> {
            if (error != null) {
                ApiError whole = ControllerErrors.whole(error);
                return CompletableFuture.completedFuture(answer(ControllerErrors.of(whole.error()), whole.message()));
            }
            ApiResponse answer = answer(ControllerErrors.forCode(resp.getErrorCode()),
                    ControllerErrors.message(resp.getErrorMessage()));
            if (resp.getErrorCode() != 0) {
                return CompletableFuture.completedFuture(answer);
            }
            return images.await(image -> !image.brokers().containsKey(id), controller.requestTimeout().toMillis())
                    .thenApply(shown -> answer);
        }).thenCompose(f -> f);
    }

    private static ApiResponse answer(Errors error, String message) {
        return ApiResponse.send(new UnregisterBrokerResponseData().setThrottleTimeMs(0).setErrorCode(error.code())
                .setErrorMessage(message));
    }
}
