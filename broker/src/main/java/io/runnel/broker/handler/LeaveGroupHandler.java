package io.runnel.broker.handler;

import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.LeaveResult;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.LeaveGroupResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * LeaveGroup (key 13, v0-5): members leave at once instead of waiting for their session to expire, which starts a
 * rebalance of the rest. v0-2 carry one member id and answer with one error; v3+ (KIP-345) a batch of members, by
 * member id or by {@code group.instance.id}, each with its own error (UNKNOWN_MEMBER_ID, 25; FENCED_INSTANCE_ID, 82).
 */
public final class LeaveGroupHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public LeaveGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LEAVE_GROUP;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        LeaveGroupRequestData d = (LeaveGroupRequestData) request.body();
        short v = request.version();
        List<LeaveResult.Member> leaving = new ArrayList<>();
        if (v >= 3) {
            for (MemberIdentity m : d.members()) {
                leaving.add(new LeaveResult.Member(m.memberId(), m.groupInstanceId(), null));
            }
        } else {
            leaving.add(new LeaveResult.Member(d.memberId(), null, null));
        }
        return coordinator.leave(d.groupId(), leaving).thenApply(r -> {
            List<MemberResponse> members = new ArrayList<>();
            for (LeaveResult.Member m : r.members()) {
                members.add(new MemberResponse().setMemberId(m.memberId()).setGroupInstanceId(m.groupInstanceId())
                        .setErrorCode(m.error().code()));
            }
            return ApiResponse.send(new LeaveGroupResponse(members, r.error(), 0, v).data());
        });
    }
}
