package io.runnel.broker.group;

import org.apache.kafka.common.protocol.Errors;

import java.util.List;

/**
 * What a JoinGroup is answered with.
 *
 * @param error          NONE, or MEMBER_ID_REQUIRED (79) with {@code memberId} set, or the failure: INVALID_GROUP_ID
 *                       (24), NOT_COORDINATOR (16), INVALID_SESSION_TIMEOUT (26), INCONSISTENT_GROUP_PROTOCOL (23),
 *                       UNKNOWN_MEMBER_ID (25), FENCED_INSTANCE_ID (82), GROUP_MAX_SIZE_REACHED (81),
 *                       COORDINATOR_NOT_AVAILABLE (15)
 * @param generationId   the new generation, -1 on errors
 * @param protocolType   the group's protocol type, null on errors
 * @param protocolName   the selected protocol, null on errors
 * @param leaderId       the leader's member id, {@code ""} on errors
 * @param memberId       the member's id (assigned by the coordinator on a first join)
 * @param members        for the leader only: every member with its metadata for the selected protocol
 * @param skipAssignment v9+: the (static) leader rejoined a stable group and must not reassign (KIP-814)
 */
public record JoinResult(Errors error, int generationId, String protocolType, String protocolName, String leaderId,
                         String memberId, List<JoinedMember> members, boolean skipAssignment) {
    public JoinResult {
        members = List.copyOf(members);
        leaderId = leaderId == null ? "" : leaderId;
        memberId = memberId == null ? "" : memberId;
    }

    /** One member as the leader sees it. */
    public record JoinedMember(String memberId, String groupInstanceId, byte[] metadata) {
    }

    /** A failed join. */
    public static JoinResult failed(Errors error, String memberId) {
        return new JoinResult(error, -1, null, null, "", memberId, List.of(), false);
    }
}
