package io.runnel.broker.handler;

import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.JoinRequest;
import io.runnel.broker.group.JoinResult;
import io.runnel.broker.group.MemberProtocol;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.JoinGroupRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * JoinGroup (key 11, v0-9), answered by the {@link GroupCoordinator} once the rebalance completes (the response may
 * wait up to the group's rebalance timeout). Per version: v0 has no rebalance timeout (the session timeout is used);
 * v4+ first joins without {@code group.instance.id} get MEMBER_ID_REQUIRED (79) with the id to rejoin with
 * (KIP-394); v5+ static membership (KIP-345); v7+ the protocol type in the response; v9+ {@code skip_assignment}
 * for a static leader rejoining a stable group (KIP-814). Errors: see {@link JoinResult}.
 */
public final class JoinGroupHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public JoinGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.JOIN_GROUP;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        JoinGroupRequestData d = (JoinGroupRequestData) request.body();
        short v = request.version();
        List<MemberProtocol> protocols = new ArrayList<>();
        for (JoinGroupRequestProtocol p : d.protocols()) {
            protocols.add(new MemberProtocol(p.name(), p.metadata()));
        }
        JoinRequest join = new JoinRequest(d.groupId(), d.memberId(), v >= 5 ? d.groupInstanceId() : null,
                context.clientId(), GroupClients.host(context), d.sessionTimeoutMs(),
                v >= 1 ? d.rebalanceTimeoutMs() : d.sessionTimeoutMs(), d.protocolType(), protocols,
                JoinGroupRequest.requiresKnownMemberId(v), JoinGroupRequest.supportsSkippingAssignment(v));
        return coordinator.join(join).thenApply(r -> ApiResponse.send(response(r, v)));
    }

    static JoinGroupResponseData response(JoinResult r, short v) {
        JoinGroupResponseData out = new JoinGroupResponseData().setThrottleTimeMs(0).setErrorCode(r.error().code())
                .setGenerationId(r.generationId()).setLeader(r.leaderId()).setMemberId(r.memberId())
                .setProtocolName(r.protocolName() == null && v < 7 ? "" : r.protocolName());
        if (v >= 7) {
            out.setProtocolType(r.protocolType());
        }
        if (v >= 9) {
            out.setSkipAssignment(r.skipAssignment());
        }
        for (JoinResult.JoinedMember m : r.members()) {
            out.members().add(new JoinGroupResponseMember().setMemberId(m.memberId())
                    .setGroupInstanceId(m.groupInstanceId()).setMetadata(m.metadata()));
        }
        return out;
    }
}
