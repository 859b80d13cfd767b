package io.runnel.broker.handler;

import io.runnel.broker.metadata.MetadataCache;
import io.runnel.broker.metadata.MetadataView;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.image.BrokerRegistration;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.CompletableFuture;

/**
 * DescribeCluster (key 60, v0-1; KIP-700, KIP-919 for the endpoint type): cluster id, a live broker as controller
 * id, and the unfenced brokers with their endpoint for the request's listener. A request for controller endpoints
 * (endpoint type 2) sent to a broker gets MISMATCHED_ENDPOINT_TYPE (114), as Kafka answers.
 */
public final class DescribeClusterHandler implements ApiHandler {
    private static final byte BROKER_ENDPOINTS = 1;
    private final MetadataCache cache;

    public DescribeClusterHandler(MetadataCache cache) {
        this.cache = cache;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLUSTER;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        DescribeClusterRequestData data = (DescribeClusterRequestData) request.body();
        MetadataView view = cache.current();
        DescribeClusterResponseData response = new DescribeClusterResponseData().setThrottleTimeMs(0);
        if (request.version() >= 1) {
            response.setEndpointType(BROKER_ENDPOINTS);
            if (data.endpointType() != BROKER_ENDPOINTS) {
                return CompletableFuture.completedFuture(ApiResponse.send(response
                        .setErrorCode(Errors.MISMATCHED_ENDPOINT_TYPE.code())
                        .setErrorMessage("this is a broker listener: it describes brokers, not controllers")));
            }
        }
        response.setErrorCode(Errors.NONE.code())
                .setClusterId(view.clusterId())
                .setControllerId(view.controllerIdForClients());
        for (BrokerRegistration b : view.aliveBrokers()) {
            view.endpoint(b.id(), context.listenerName()).ifPresent(e -> response.brokers().add(
                    new DescribeClusterBroker().setBrokerId(b.id()).setHost(e.host()).setPort(e.port())
                            .setRack(b.rack())));
        }
        return CompletableFuture.completedFuture(ApiResponse.send(response));
    }
}
