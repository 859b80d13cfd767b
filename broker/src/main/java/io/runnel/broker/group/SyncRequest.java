package io.runnel.broker.group;

import java.util.Map;
import java.util.Objects;

/**
 * A SyncGroup (API key 14) as the coordinator needs it.
 *
 * @param groupId         the group
 * @param generationId    the generation the member joined
 * @param memberId        the member
 * @param groupInstanceId a static member's {@code group.instance.id} (v3+), or null
 * @param protocolType    v5+: the protocol type the member expects, or null
 * @param protocolName    v5+: the protocol the member expects, or null
 * @param assignments     from the leader: member id to its opaque assignment; empty from followers
 */
public record SyncRequest(String groupId, int generationId, String memberId, String groupInstanceId,
                          String protocolType, String protocolName, Map<String, byte[]> assignments) {
    public SyncRequest {
        Objects.requireNonNull(groupId, "groupId");
        memberId = memberId == null ? "" : memberId;
        assignments = Map.copyOf(assignments);
    }
}
