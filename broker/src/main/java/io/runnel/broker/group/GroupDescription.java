package io.runnel.broker.group;

import org.apache.kafka.common.protocol.Errors;

import java.util.List;

/**
 * A group as DescribeGroups (API key 15) reports it. For a group this broker does not know, Kafka's answer for
 * versions 0-5: state {@code Dead}, no members, error NONE.
 *
 * @param error        NONE, NOT_COORDINATOR (16), INVALID_GROUP_ID (24)
 * @param state        Kafka's state name ({@link GroupState#kafkaName()})
 * @param protocolType e.g. {@code consumer}; {@code ""} when unknown
 * @param protocolData the selected protocol when the group is Stable, else {@code ""}
 * @param members      the members; metadata and assignment only when Stable (as Kafka)
 */
public record GroupDescription(String groupId, Errors error, String state, String protocolType, String protocolData,
                               List<Member> members) {
    public GroupDescription {
        members = List.copyOf(members);
    }

    /** One member. */
    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost,
                         byte[] metadata, byte[] assignment) {
    }

    /** A failed or unknown group. */
    public static GroupDescription of(String groupId, Errors error, GroupState state) {
        return new GroupDescription(groupId, error, state.kafkaName(), "", "", List.of());
    }
}
