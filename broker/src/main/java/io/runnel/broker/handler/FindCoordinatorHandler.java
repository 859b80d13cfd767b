package io.runnel.broker.handler;

import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.metadata.MetadataCache;
import io.runnel.broker.metadata.MetadataView;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.image.BrokerEndpoint;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * FindCoordinator (key 10, v0-4): names the broker coordinating each group, with its endpoint on the listener the
 * request came in on. Versions 0-3 carry one key and answer in top-level fields; v4 (KIP-699) batches keys and
 * answers one {@code coordinators} entry per key. Errors per key: COORDINATOR_NOT_AVAILABLE (15) while no broker is
 * alive or the coordinator has no endpoint on this listener; INVALID_REQUEST (42) for share keys (key type 2:
 * Runnel has no share coordinator). Groups (key type 0) and transactional ids (key type 1, KIP-98) are placed on
 * live brokers by the same rendezvous hashing.
 */
public final class FindCoordinatorHandler implements ApiHandler {
    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;
    private final GroupCoordinator coordinator;
    private final MetadataCache metadata;

    public FindCoordinatorHandler(GroupCoordinator coordinator, MetadataCache metadata) {
        this.coordinator = coordinator;
        this.metadata = metadata;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        FindCoordinatorRequestData d = (FindCoordinatorRequestData) request.body();
        short v = request.version();
        MetadataView view = metadata.current();
        FindCoordinatorResponseData out = new FindCoordinatorResponseData().setThrottleTimeMs(0);
        if (v >= FindCoordinatorRequest.MIN_BATCHED_VERSION) {
            for (String key : d.coordinatorKeys()) {
                out.coordinators().add(find(view, key, d.keyType(), context.listenerName()));
            }
        } else {
            Coordinator c = find(view, d.key(), v >= 1 ? d.keyType() : GROUP, context.listenerName());
            out.setErrorCode(c.errorCode()).setNodeId(c.nodeId()).setHost(c.host()).setPort(c.port());
            if (v >= 1) {
                out.setErrorMessage(c.errorMessage());
            }
        }
        return CompletableFuture.completedFuture(ApiResponse.send(out));
    }

    private Coordinator find(MetadataView view, String key, byte keyType, String listener) {
        Coordinator c = new Coordinator().setKey(key).setNodeId(-1).setHost("").setPort(-1);
        if (keyType != GROUP && keyType != TRANSACTION) {
            return c.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Runnel coordinates consumer "
                    + "groups (key type 0) and transactions (key type 1), not key type " + keyType);
        }
        OptionalInt id = coordinator.coordinatorOf(key);
        Optional<BrokerEndpoint> endpoint = id.isPresent() ? view.endpoint(id.getAsInt(), listener) : Optional.empty();
        if (endpoint.isEmpty()) {
            return c.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()).setErrorMessage(id.isEmpty()
                    ? "No broker is alive" : "Broker " + id.getAsInt() + " has no endpoint for listener " + listener);
        }
        return c.setErrorCode(Errors.NONE.code()).setErrorMessage(null).setNodeId(id.getAsInt())
                .setHost(endpoint.get().host()).setPort(endpoint.get().port());
    }
}
