package io.runnel.broker.handler;

import io.runnel.broker.network.RequestDispatcher;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Routes decoded requests to their {@link ApiHandler}, on the calling thread: the network layer calls it on the
 * request-handler pool ({@code num.io.threads}), one request per connection at a time, so that netty's event loops
 * never block on the log. Failures become the API's generic error response. Thread-safe.
 */
public final class ApiRouter implements RequestDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);
    private final Map<ApiKeys, ApiHandler> handlers = new EnumMap<>(ApiKeys.class);

    /**
     * @param handlers one per API
     * @throws IllegalArgumentException when two handlers serve the same API
     */
    public ApiRouter(Collection<ApiHandler> handlers) {
        for (ApiHandler h : handlers) {
            if (this.handlers.put(h.apiKey(), h) != null) {
                throw new IllegalArgumentException("two handlers for " + h.apiKey());
            }
        }
    }

    /** The APIs with a handler. */
    public Set<ApiKeys> apis() {
        return handlers.keySet();
    }

    @Override
    public CompletableFuture<ApiResponse> dispatch(RequestContext context, KafkaRequest request) {
        ApiHandler handler = handlers.get(request.apiKey());
        if (handler == null) {
            return CompletableFuture.completedFuture(ApiResponse.close("no handler for " + request.apiKey()));
        }
        CompletableFuture<ApiResponse> response;
        try {
            response = handler.handle(context, request);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        return response.handle((r, error) -> error == null ? r : errorResponse(context, request, error));
    }

    private static ApiResponse errorResponse(RequestContext context, KafkaRequest request, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        LOG.error("Handling {} failed", context, cause);
        try {
            return ApiResponse.send(request.request().getErrorResponse(0, cause).data());
        } catch (RuntimeException e) {
            return ApiResponse.close("cannot build an error response for " + context + ": " + e);
        }
    }
}
