package io.runnel.broker.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * A classic group's membership state in the coordinator's memory: state, generation, protocol, leader, members
 * (in join order), members that were given an id but have not joined with it yet (KIP-394), static members by
 * {@code group.instance.id} (KIP-345) and members the current generation still waits a SyncGroup from. Mutable;
 * confined to the coordinator's event-loop thread.
 *
 * <p>State changes follow Kafka's transitions; an impossible one throws {@link IllegalStateException} (a bug).
 */
final class ClassicGroup {
    private static final Map<GroupState, Set<GroupState>> VALID_PREVIOUS = Map.of(
            GroupState.EMPTY, EnumSet.of(GroupState.PREPARING_REBALANCE),
            GroupState.PREPARING_REBALANCE, EnumSet.of(GroupState.STABLE, GroupState.COMPLETING_REBALANCE,
                    GroupState.EMPTY),
            GroupState.COMPLETING_REBALANCE, EnumSet.of(GroupState.PREPARING_REBALANCE),
            GroupState.STABLE, EnumSet.of(GroupState.COMPLETING_REBALANCE),
            GroupState.DEAD, EnumSet.allOf(GroupState.class));

    final String groupId;
    private GroupState state = GroupState.EMPTY;
    private long stateSinceMs;
    int generationId;
    String protocolType;
    String protocolName;
    String leaderId;
    final Map<String, GroupMember> members = new LinkedHashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED, not yet used to join, with their expiry. */
    final Map<String, ScheduledFuture<?>> pendingMembers = new HashMap<>();
    /** {@code group.instance.id} to the member id currently holding it. */
    final Map<String, String> staticMembers = new HashMap<>();
    /** Members of the current generation that have not sent SyncGroup yet. */
    final Set<String> pendingSync = new LinkedHashSet<>();
    /** Completes the rebalance at the rebalance timeout (or the initial delay). */
    ScheduledFuture<?> joinTimer;
    /** Removes members that do not sync within the rebalance timeout. */
    ScheduledFuture<?> syncTimer;
    /** The first rebalance of an empty group waits group.initial.rebalance.delay.ms (KIP-134). */
    boolean inInitialDelay;
    long initialDelayRemainingMs;
    boolean newMemberAdded;
    /** The last offset write of this group (commits, deletes and expiry run one after another). */
    CompletableFuture<?> offsetWrites = CompletableFuture.completedFuture(null);

    ClassicGroup(String groupId, long nowMs) {
        this.groupId = groupId;
        this.stateSinceMs = nowMs;
    }

    GroupState state() {
        return state;
    }

    boolean is(GroupState s) {
        return state == s;
    }

    /** Milliseconds since the epoch when the group entered its current state. */
    long stateSinceMs() {
        return stateSinceMs;
    }

    void transitionTo(GroupState next, long nowMs) {
        if (!VALID_PREVIOUS.get(next).contains(state)) {
            throw new IllegalStateException("Group " + groupId + " cannot go from " + state + " to " + next);
        }
        state = next;
        stateSinceMs = nowMs;
    }

    boolean has(String memberId) {
        return members.containsKey(memberId);
    }

    GroupMember get(String memberId) {
        return members.get(memberId);
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    /** Adds a member; the first one leads, and fixes the protocol type of an empty group. */
    void add(GroupMember m, String type) {
        if (members.isEmpty()) {
            protocolType = type;
        }
        members.put(m.memberId, m);
        if (m.groupInstanceId != null) {
            staticMembers.put(m.groupInstanceId, m.memberId);
        }
        if (leaderId == null) {
            leaderId = m.memberId;
        }
    }

    /** Removes a member (and its static mapping); a new leader is the earliest remaining member, or none. */
    GroupMember remove(String memberId) {
        GroupMember m = members.remove(memberId);
        if (m == null) {
            return null;
        }
        m.cancelSessionTimer();
        pendingSync.remove(memberId);
        if (m.groupInstanceId != null && memberId.equals(staticMembers.get(m.groupInstanceId))) {
            staticMembers.remove(m.groupInstanceId);
        }
        if (isLeader(memberId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
        return m;
    }

    /**
     * Gives a static member's place to a new member id (a static member restarted and joined without its old id).
     * The old id's waiting responses are returned to the caller to fail with FENCED_INSTANCE_ID.
     */
    GroupMember replaceStatic(GroupMember old, String newMemberId, JoinRequest join) {
        old.cancelSessionTimer();
        GroupMember replacement = new GroupMember(newMemberId, old.groupInstanceId, join);
        replacement.assignment = old.assignment;
        Map<String, GroupMember> copy = new LinkedHashMap<>(members);
        members.clear();
        copy.forEach((id, m) -> members.put(id.equals(old.memberId) ? newMemberId : id,
                id.equals(old.memberId) ? replacement : m));
        staticMembers.put(old.groupInstanceId, newMemberId);
        if (isLeader(old.memberId)) {
            leaderId = newMemberId;
        }
        if (pendingSync.remove(old.memberId)) {
            pendingSync.add(newMemberId);
        }
        return replacement;
    }

    /** True when {@code groupInstanceId} is held by another member id than {@code memberId} (KIP-345 fencing). */
    boolean isStaticMemberFenced(String groupInstanceId, String memberId) {
        if (groupInstanceId == null) {
            return false;
        }
        String holder = staticMembers.get(groupInstanceId);
        return holder != null && !holder.equals(memberId);
    }

    /** Every member has rejoined and no handed-out member id is still expected. */
    boolean allMembersJoined() {
        return pendingMembers.isEmpty() && members.values().stream().allMatch(m -> m.awaitingJoin != null);
    }

    List<GroupMember> notYetRejoined() {
        return members.values().stream().filter(m -> m.awaitingJoin == null).toList();
    }

    /** The longest rebalance timeout of the members (how long a rebalance may wait for all of them). */
    int rebalanceTimeoutMs() {
        return members.values().stream().mapToInt(m -> m.rebalanceTimeoutMs).max().orElse(0);
    }

    /** Each member's protocol names in preference order, earliest member first. */
    List<List<String>> memberProtocols() {
        List<List<String>> out = new ArrayList<>();
        members.values().forEach(m -> out.add(m.protocolNames()));
        return out;
    }

    /** The protocol the next generation would use. */
    Optional<String> selectProtocol() {
        return ProtocolSelection.select(memberProtocols());
    }

    /** Whether a member offering these protocols could join: same type and a protocol every member supports. */
    boolean supportsProtocols(String type, Collection<String> names) {
        if (members.isEmpty()) {
            return !type.isEmpty() && !names.isEmpty();
        }
        return type.equals(protocolType) && ProtocolSelection.fits(names, memberProtocols());
    }

    /** The topic-agnostic member list the leader receives: id, instance id, metadata for the selected protocol. */
    List<JoinResult.JoinedMember> leaderView() {
        List<JoinResult.JoinedMember> out = new ArrayList<>();
        members.values().forEach(m -> out.add(new JoinResult.JoinedMember(m.memberId, m.groupInstanceId,
                m.metadata(protocolName))));
        return out;
    }

    void cancelTimers() {
        if (joinTimer != null) {
            joinTimer.cancel(false);
            joinTimer = null;
        }
        cancelSyncTimer();
        pendingMembers.values().forEach(f -> f.cancel(false));
        members.values().forEach(GroupMember::cancelSessionTimer);
    }

    void cancelSyncTimer() {
        if (syncTimer != null) {
            syncTimer.cancel(false);
            syncTimer = null;
        }
    }

    @Override
    public String toString() {
        return "group " + groupId + " (" + state + ", generation " + generationId + ", " + members.size()
                + " members)";
    }
}
