package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.ApiVersionTable;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;

import java.util.concurrent.CompletableFuture;

/**
 * ApiVersions (key 18, v0-4; KIP-35, KIP-511): the advertised range of every API this broker serves, from the
 * explicit {@link ApiVersionTable}. v3+ requests whose client software name or version break Kafka's pattern get
 * INVALID_REQUEST (42). Versions above 4 never reach this handler: the codec answers them (v0 fallback). No features
 * are advertised.
 */
public final class ApiVersionsHandler implements ApiHandler {
    private final ApiVersionTable table;

    /** @param table the versions to advertise */
    public ApiVersionsHandler(ApiVersionTable table) {
        this.table = table;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.API_VERSIONS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        ApiVersionsRequest r = (ApiVersionsRequest) request.request();
        ApiVersionsResponseData response = new ApiVersionsResponseData().setThrottleTimeMs(0);
        if (request.version() >= 3 && !r.isValid()) {
            response.setErrorCode(Errors.INVALID_REQUEST.code());
        } else {
            response.setErrorCode(Errors.NONE.code()).setApiKeys(table.toApiVersions());
        }
        return CompletableFuture.completedFuture(ApiResponse.send(response));
    }
}
