package io.runnel.broker.group;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One member of a classic group, in the coordinator's memory only (Kafka persists it to {@code __consumer_offsets};
 * Runnel's members rejoin after a coordinator change, which the protocol allows). Mutable; confined to the
 * coordinator's event-loop thread.
 */
final class GroupMember {
    final String memberId;
    final String groupInstanceId;
    String clientId;
    String clientHost;
    int sessionTimeoutMs;
    int rebalanceTimeoutMs;
    List<MemberProtocol> protocols;
    /** The assignment the leader gave this member in the current generation; empty before. */
    byte[] assignment = new byte[0];
    /** The pending JoinGroup response, while the member waits for the rebalance to complete. */
    CompletableFuture<JoinResult> awaitingJoin;
    /** The pending SyncGroup response, while the member waits for the leader's assignment. */
    CompletableFuture<SyncResult> awaitingSync;
    /** Joined during the current rebalance and never completed a join (KIP-394 new-member timeout applies). */
    boolean isNew;
    /** Expires the member's session; replaced on every heartbeat. */
    ScheduledFuture<?> sessionTimer;

    GroupMember(String memberId, String groupInstanceId, JoinRequest join) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        update(join);
    }

    /** Takes the client's latest settings and protocols from a (re)join. */
    void update(JoinRequest join) {
        this.clientId = join.clientId();
        this.clientHost = join.clientHost();
        this.sessionTimeoutMs = join.sessionTimeoutMs();
        this.rebalanceTimeoutMs = join.rebalanceTimeoutMs();
        this.protocols = join.protocols();
    }

    /** The member's metadata for {@code protocol}, or empty bytes when it does not support it. */
    byte[] metadata(String protocol) {
        for (MemberProtocol p : protocols) {
            if (p.name().equals(protocol)) {
                return p.metadata();
            }
        }
        return new byte[0];
    }

    List<String> protocolNames() {
        return protocols.stream().map(MemberProtocol::name).toList();
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    void cancelSessionTimer() {
        if (sessionTimer != null) {
            sessionTimer.cancel(false);
            sessionTimer = null;
        }
    }

    @Override
    public String toString() {
        return memberId + (groupInstanceId == null ? "" : " (instance " + groupInstanceId + ")");
    }
}
