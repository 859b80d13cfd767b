package io.runnel.broker.group;

import org.apache.kafka.common.protocol.Errors;

/**
 * What a SyncGroup is answered with.
 *
 * @param error        NONE, or UNKNOWN_MEMBER_ID (25), ILLEGAL_GENERATION (22), REBALANCE_IN_PROGRESS (27),
 *                     FENCED_INSTANCE_ID (82), INCONSISTENT_GROUP_PROTOCOL (23), NOT_COORDINATOR (16),
 *                     COORDINATOR_NOT_AVAILABLE (15), INVALID_GROUP_ID (24)
 * @param protocolType the group's protocol type (v5+), null on errors
 * @param protocolName the group's protocol (v5+), null on errors
 * @param assignment   the member's assignment as the leader sent it; empty on errors
 */
public record SyncResult(Errors error, String protocolType, String protocolName, byte[] assignment) {
    public SyncResult {
        assignment = assignment == null ? new byte[0] : assignment;
    }

    /** A failed sync. */
    public static SyncResult failed(Errors error) {
        return new SyncResult(error, null, null, new byte[0]);
    }
}
