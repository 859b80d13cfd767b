package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.concurrent.CompletableFuture;

/**
 * Serves one API. Handlers run on the request-handler pool and may complete later (long polling, acks=-1). They
 * fill response fields per version: generated {@code write()} rejects a non-ignorable field the version lacks. A
 * thrown exception or failed future is answered with the request's generic error response
 * ({@code AbstractRequest.getErrorResponse}).
 */
public interface ApiHandler {
    /** The API served. */
    ApiKeys apiKey();

    /** Handles a request of {@link #apiKey()} in a served version. */
    CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request);
}
