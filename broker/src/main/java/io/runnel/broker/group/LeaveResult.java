package io.runnel.broker.group;

import org.apache.kafka.common.protocol.Errors;

import java.util.List;

/**
 * What a LeaveGroup (API key 13) is answered with: a top-level error (NONE, NOT_COORDINATOR, INVALID_GROUP_ID,
 * COORDINATOR_NOT_AVAILABLE) and, per leaving member in request order, NONE, UNKNOWN_MEMBER_ID (25) or
 * FENCED_INSTANCE_ID (82). Versions 0-2 carry one member and fold its error into the top level.
 */
public record LeaveResult(Errors error, List<Member> members) {
    public LeaveResult {
        members = List.copyOf(members);
    }

    /** One leaving member: by member id, or for a static member by {@code group.instance.id} (KIP-345). */
    public record Member(String memberId, String groupInstanceId, Errors error) {
    }
}
