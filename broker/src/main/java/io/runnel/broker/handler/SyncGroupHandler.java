package io.runnel.broker.handler;

import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.SyncRequest;
import io.runnel.broker.group.SyncResult;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * SyncGroup (key 14, v0-5): the leader sends every member's assignment, which the coordinator passes through
 * untouched (the client's assignor decides: range, round-robin, sticky, cooperative-sticky); every member receives
 * its own, once the leader's has arrived. v3+ carries {@code group.instance.id}; v5+ the protocol type and name, in
 * the request (checked: INCONSISTENT_GROUP_PROTOCOL, 23) and the response. Errors: see {@link SyncResult}.
 */
public final class SyncGroupHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public SyncGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SYNC_GROUP;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        SyncGroupRequestData d = (SyncGroupRequestData) request.body();
        short v = request.version();
        Map<String, byte[]> assignments = new HashMap<>();
        for (SyncGroupRequestAssignment a : d.assignments()) {
            assignments.put(a.memberId(), a.assignment());
        }
        SyncRequest sync = new SyncRequest(d.groupId(), d.generationId(), d.memberId(),
                v >= 3 ? d.groupInstanceId() : null, v >= 5 ? d.protocolType() : null,
                v >= 5 ? d.protocolName() : null, assignments);
        return coordinator.sync(sync).thenApply(r -> ApiResponse.send(response(r, v)));
    }

    private static SyncGroupResponseData response(SyncResult r, short v) {
        SyncGroupResponseData out = new SyncGroupResponseData().setThrottleTimeMs(0).setErrorCode(r.error().code())
                .setAssignment(r.assignment());
        if (v >= 5) {
            out.setProtocolType(r.protocolType()).setProtocolName(r.protocolName());
        }
        return out;
    }
}
