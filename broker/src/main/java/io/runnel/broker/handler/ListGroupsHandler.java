package io.runnel.broker.handler;

import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.GroupOverview;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * ListGroups (key 16, v0-5): the groups this broker coordinates (Admin asks every broker and merges). v4+ filters by
 * state (KIP-518) and reports each group's state; v5+ filters by type (KIP-848) and reports the type: every Runnel
 * group is {@code classic}, so a types filter without it lists nothing.
 */
public final class ListGroupsHandler implements ApiHandler {
    static final String CLASSIC = "classic";
    private final GroupCoordinator coordinator;

    public ListGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_GROUPS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        ListGroupsRequestData d = (ListGroupsRequestData) request.body();
        short v = request.version();
        List<String> types = v >= 5 ? d.typesFilter() : List.of();
        boolean classicWanted = types.isEmpty() || types.stream().anyMatch(CLASSIC::equalsIgnoreCase);
        return coordinator.listGroups(new HashSet<>(v >= 4 ? d.statesFilter() : List.of())).thenApply(groups -> {
            ListGroupsResponseData out = new ListGroupsResponseData().setThrottleTimeMs(0)
                    .setErrorCode(Errors.NONE.code());
            if (classicWanted) {
                for (GroupOverview g : groups) {
                    out.groups().add(new ListedGroup().setGroupId(g.groupId()).setProtocolType(g.protocolType())
                            .setGroupState(g.state()).setGroupType(CLASSIC));
                }
            }
            return ApiResponse.send(out);
        });
    }
}
