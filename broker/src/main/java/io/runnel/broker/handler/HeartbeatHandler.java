package io.runnel.broker.handler;

import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.concurrent.CompletableFuture;

/**
 * Heartbeat (key 12, v0-4): keeps a member's session ({@code session.timeout.ms}) alive; REBALANCE_IN_PROGRESS (27)
 * tells it to rejoin. v3+ carries {@code group.instance.id} (FENCED_INSTANCE_ID, 82, for an old incarnation). Errors:
 * see {@link GroupCoordinator#heartbeat}.
 */
public final class HeartbeatHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public HeartbeatHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.HEARTBEAT;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        HeartbeatRequestData d = (HeartbeatRequestData) request.body();
        String instance = request.version() >= 3 ? d.groupInstanceId() : null;
        return coordinator.heartbeat(d.groupId(), d.memberId(), instance, d.generationId())
                .thenApply(e -> ApiResponse.send(new HeartbeatResponseData().setThrottleTimeMs(0)
                        .setErrorCode(e.code())));
    }
}
