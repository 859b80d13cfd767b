package io.runnel.broker.network;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;

import java.util.concurrent.CompletableFuture;

/**
 * Where the network layer hands decoded requests. It is called on the request pool, one request per connection at a
 * time in arrival order; long waits (long polls, acks=-1) belong in the returned future, not on the calling thread.
 * Implementations should turn handler failures into error responses; a future that fails closes the connection.
 */
@FunctionalInterface
public interface RequestDispatcher {
    /**
     * @return the response, completed on any thread; responses are still sent in request order per connection
     */
    CompletableFuture<ApiResponse> dispatch(RequestContext context, KafkaRequest request);
}
