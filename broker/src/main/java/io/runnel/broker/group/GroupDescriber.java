package io.runnel.broker.group;

import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;

/**
 * A group's description as DescribeGroups reports it (Kafka's group summary): a Stable group shows its protocol
 * and each member's metadata for it and assignment; a group in any other state shows its members without metadata
 * or assignment. A group known only by committed offsets is Empty with an unknown protocol type; an unknown group
 * is Dead, without error (DescribeGroups v0-5).
 */
final class GroupDescriber {
    private GroupDescriber() {
    }

    static GroupDescription describe(String groupId, boolean coordinated, ClassicGroup g, boolean hasOffsets) {
        if (!coordinated) {
            return GroupDescription.of(groupId, Errors.NOT_COORDINATOR, GroupState.DEAD);
        }
        if (g == null || g.is(GroupState.DEAD)) {
            return GroupDescription.of(groupId, Errors.NONE, hasOffsets && g == null ? GroupState.EMPTY
                    : GroupState.DEAD);
        }
        boolean stable = g.is(GroupState.STABLE);
        List<GroupDescription.Member> members = new ArrayList<>();
        for (GroupMember m : g.members.values()) {
            members.add(new GroupDescription.Member(m.memberId, m.groupInstanceId, m.clientId, m.clientHost,
                    stable ? m.metadata(g.protocolName) : new byte[0], stable ? m.assignment.clone() : new byte[0]));
        }
        return new GroupDescription(groupId, Errors.NONE, g.state().kafkaName(),
                g.protocolType == null ? "" : g.protocolType, stable ? g.protocolName : "", members);
    }
}
