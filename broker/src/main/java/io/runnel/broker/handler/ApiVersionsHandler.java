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
 * INVALID_REQUEST (42). Versions above 4 never reach this handler: the codec answers them (v0 fallback).
 *
 * <p>Features (KIP-584, v3+): {@code transaction.version} is supported at levels 0-2 and finalized at the broker's
 * {@code transaction.version} setting ({@link ApiVersionTable#transactionVersion}), with finalized-features epoch
 * {@value #FINALIZED_FEATURES_EPOCH} (the setting is static, so the epoch never moves; clients only need it
 * {@literal >=} 0). Kafka 4.x clients use transactions v2 (KIP-890 part 2) when the finalized level is 2.
 */
public final class ApiVersionsHandler implements ApiHandler {
    /** Kafka's name of the transactions feature (KIP-890). */
    public static final String TRANSACTION_VERSION_FEATURE = "transaction.version";
    /** The finalized-features epoch advertised; -1 would mean "none" to clients. */
    public static final long FINALIZED_FEATURES_EPOCH = 0L;
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
            if (request.version() >= 3) {
                features(response, table.transactionVersion());
            }
        }
        return CompletableFuture.completedFuture(ApiResponse.send(response));
    }

    /** Sets the supported and finalized features (tagged fields of v3+) for {@code transactionVersion}. */
    static void features(ApiVersionsResponseData response, int transactionVersion) {
        ApiVersionsResponseData.SupportedFeatureKeyCollection supported =
                new ApiVersionsResponseData.SupportedFeatureKeyCollection();
        supported.add(new ApiVersionsResponseData.SupportedFeatureKey().setName(TRANSACTION_VERSION_FEATURE)
                .setMinVersion((short) 0).setMaxVersion((short) ApiVersionTable.MAX_TRANSACTION_VERSION));
        ApiVersionsResponseData.FinalizedFeatureKeyCollection finalized =
                new ApiVersionsResponseData.FinalizedFeatureKeyCollection();
        if (transactionVersion > 0) { // Kafka leaves a feature at level 0 out of the finalized ones
            finalized.add(new ApiVersionsResponseData.FinalizedFeatureKey().setName(TRANSACTION_VERSION_FEATURE)
                    .setMinVersionLevel((short) transactionVersion).setMaxVersionLevel((short) transactionVersion));
        }
        response.setSupportedFeatures(supported).setFinalizedFeatures(finalized)
                .setFinalizedFeaturesEpoch(FINALIZED_FEATURES_EPOCH);
    }
}
