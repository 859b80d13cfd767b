package io.runnel.broker.handler;

import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.GroupDescription;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.utils.Utils;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeGroups (key 15, v0-5): state, protocol type, selected protocol and members (client id, host
 * {@code /address}, and when Stable each member's metadata and assignment) of groups this broker coordinates; other
 * groups get NOT_COORDINATOR (16); an unknown group is reported {@code Dead} without error, as Kafka does up to v5.
 * v3+ reports authorized operations when asked: without an authorizer, every group operation (READ, DESCRIBE,
 * DELETE); v4+ members' {@code group.instance.id}.
 */
public final class DescribeGroupsHandler implements ApiHandler {
    private static final int ALL_GROUP_OPERATIONS = Utils.to32BitField(Set.of(AclOperation.READ.code(),
            AclOperation.DESCRIBE.code(), AclOperation.DELETE.code()));
    private final GroupCoordinator coordinator;

    public DescribeGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_GROUPS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        DescribeGroupsRequestData d = (DescribeGroupsRequestData) request.body();
        short v = request.version();
        boolean withOperations = v >= 3 && d.includeAuthorizedOperations();
        return coordinator.describe(d.groups()).thenApply(groups -> {
            DescribeGroupsResponseData out = new DescribeGroupsResponseData().setThrottleTimeMs(0);
            for (GroupDescription g : groups) {
                DescribedGroup group = new DescribedGroup().setGroupId(g.groupId()).setErrorCode(g.error().code())
                        .setGroupState(g.state()).setProtocolType(g.protocolType()).setProtocolData(g.protocolData());
                if (withOperations) {
                    group.setAuthorizedOperations(ALL_GROUP_OPERATIONS);
                }
                for (GroupDescription.Member m : g.members()) {
                    group.members().add(new DescribedGroupMember().setMemberId(m.memberId())
                            .setGroupInstanceId(m.groupInstanceId()).setClientId(m.clientId())
                            .setClientHost(m.clientHost()).setMemberMetadata(m.metadata())
                            .setMemberAssignment(m.assignment()));
                }
                out.groups().add(group);
            }
            return ApiResponse.send(out);
        });
    }
}
