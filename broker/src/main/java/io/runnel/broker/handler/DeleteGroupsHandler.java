package io.runnel.broker.handler;

import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.concurrent.CompletableFuture;

/**
 * DeleteGroups (key 42, v0-2): deletes empty groups and their committed offsets from the metadata log. Per group:
 * NONE, NON_EMPTY_GROUP (68) while it has members, GROUP_ID_NOT_FOUND (69), NOT_COORDINATOR (16), INVALID_GROUP_ID
 * (24), COORDINATOR_NOT_AVAILABLE (15) when the controller cannot be reached.
 */
public final class DeleteGroupsHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public DeleteGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        DeleteGroupsRequestData d = (DeleteGroupsRequestData) request.body();
        return coordinator.deleteGroups(d.groupsNames()).thenApply(results -> {
            DeleteGroupsResponseData out = new DeleteGroupsResponseData().setThrottleTimeMs(0);
            results.forEach((id, e) -> out.results().add(new DeletableGroupResult().setGroupId(id)
                    .setErrorCode(e.code())));
            return ApiResponse.send(out);
        });
    }
}
