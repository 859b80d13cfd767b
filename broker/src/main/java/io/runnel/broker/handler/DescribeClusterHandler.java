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

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeCluster (key 60, v0-2; KIP-700, KIP-919 for the endpoint type, KIP-1073 for fenced brokers): cluster id,
 * a live broker as controller id, and the unfenced brokers with their endpoint for the request's listener; with v2's
 * {@code include_fenced_brokers} every registered broker, each with {@code is_fenced} (a broker in controlled shutdown
 * is fenced too). A request for controller endpoints
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
        boolean withFenced = request.version() >= 2 && data.includeFencedBrokers();
        Collection<BrokerRegistration> listed = withFenced
                ? new java.util.TreeMap<>(view.image().brokers()).values() : view.aliveBrokers();
        for (BrokerRegistration b : listed) {
            view.endpoint(b.id(), context.listenerName()).ifPresent(e -> {
                DescribeClusterBroker out = new DescribeClusterBroker().setBrokerId(b.id()).setHost(e.host())
                        .setPort(e.port()).setRack(b.rack());
                if (request.version() >= 2) {
                    out.setIsFenced(b.fenced());
                }
                response.brokers().add(out);
            });
        }
        return CompletableFuture.completedFuture(ApiResponse.send(response));
    }
}
