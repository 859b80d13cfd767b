package io.runnel.broker.group;

import java.util.List;
import java.util.Objects;

/**
 * A JoinGroup (API key 11) as the coordinator needs it, independent of the wire version.
 *
 * @param groupId               the group
 * @param memberId              the member id the coordinator gave earlier, or {@code ""} for a first join
 * @param groupInstanceId       {@code group.instance.id} of a static member (KIP-345, v5+), or null
 * @param clientId              the request header's client id
 * @param clientHost            the client's address as Kafka prints it ({@code /127.0.0.1})
 * @param sessionTimeoutMs      the member's {@code session.timeout.ms}
 * @param rebalanceTimeoutMs    the member's {@code max.poll.interval.ms} (v1+; v0 uses the session timeout)
 * @param protocolType          e.g. {@code consumer}
 * @param protocols             supported protocols in preference order
 * @param requireKnownMemberId  v4+ (KIP-394): a first join without an instance id gets MEMBER_ID_REQUIRED (79) and
 *                              a member id to join with
 * @param canSkipAssignment     v9+ (KIP-814): a static leader rejoining a stable group may be told to skip the
 *                              assignment
 */
public record JoinRequest(String groupId, String memberId, String groupInstanceId, String clientId,
                          String clientHost, int sessionTimeoutMs, int rebalanceTimeoutMs, String protocolType,
                          List<MemberProtocol> protocols, boolean requireKnownMemberId, boolean canSkipAssignment) {
    public JoinRequest {
        Objects.requireNonNull(groupId, "groupId");
        memberId = memberId == null ? "" : memberId;
        clientId = clientId == null ? "" : clientId;
        clientHost = clientHost == null ? "" : clientHost;
        protocolType = protocolType == null ? "" : protocolType;
        protocols = List.copyOf(protocols);
    }

    /** The protocol names, in preference order. */
    public List<String> protocolNames() {
        return protocols.stream().map(MemberProtocol::name).toList();
    }
}
