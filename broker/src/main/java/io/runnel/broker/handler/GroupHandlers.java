package io.runnel.broker.handler;

import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.metadata.MetadataCache;

import java.util.List;

/**
 * The handlers of the consumer-group APIs, all served by one {@link GroupCoordinator}: FindCoordinator, JoinGroup,
 * SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, ListGroups, DescribeGroups, DeleteGroups and
 * OffsetDelete.
 */
public final class GroupHandlers {
    private GroupHandlers() {
    }

    public static List<ApiHandler> create(GroupCoordinator coordinator, MetadataCache metadata) {
        return List.of(
                new FindCoordinatorHandler(coordinator, metadata),
                new JoinGroupHandler(coordinator),
                new SyncGroupHandler(coordinator),
                new HeartbeatHandler(coordinator),
                new LeaveGroupHandler(coordinator),
                new OffsetCommitHandler(coordinator),
                new OffsetFetchHandler(coordinator, () -> metadata.current().image()),
                new ListGroupsHandler(coordinator),
                new DescribeGroupsHandler(coordinator),
                new DeleteGroupsHandler(coordinator),
                new OffsetDeleteHandler(coordinator));
    }
}
