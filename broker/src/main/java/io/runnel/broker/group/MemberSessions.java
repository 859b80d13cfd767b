package io.runnel.broker.group;

import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What members do between rebalances, as Kafka's classic coordinator handles it: SyncGroup (the leader's
 * assignment is passed through untouched to every member), Heartbeat (each one restarts the member's
 * {@code session.timeout.ms}), LeaveGroup (one member, or a batch from v3 — KIP-345 lets Admin remove static
 * members by {@code group.instance.id}), the session and sync timeouts that drop silent members, and member
 * removal with the rebalance it triggers.
 *
 * <p>Runs only on the coordinator's event-loop thread, which also runs its timers.
 */
final class MemberSessions {
    private static final Logger LOG = LoggerFactory.getLogger(MemberSessions.class);
    private final ScheduledExecutorService loop;
    private final Map<String, ClassicGroup> groups;
    private final Membership membership;
    private final LongSupplier clock;

    MemberSessions(ScheduledExecutorService loop, Map<String, ClassicGroup> groups, Membership membership,
                   LongSupplier clock) {
        this.loop = loop;
        this.groups = groups;
        this.membership = membership;
        this.clock = clock;
    }

    CompletableFuture<SyncResult> sync(SyncRequest r) {
        ClassicGroup g = groups.get(r.groupId());
        Errors error = check(g, r.memberId(), r.groupInstanceId(), r.generationId());
        if (error != Errors.NONE) {
            return CompletableFuture.completedFuture(SyncResult.failed(error));
        }
        if ((r.protocolType() != null && !r.protocolType().equals(g.protocolType))
                || (r.protocolName() != null && !r.protocolName().equals(g.protocolName))) {
            return CompletableFuture.completedFuture(SyncResult.failed(Errors.INCONSISTENT_GROUP_PROTOCOL));
        }
        GroupMember m = g.get(r.memberId());
        switch (g.state()) {
            case PREPARING_REBALANCE -> {
                return CompletableFuture.completedFuture(SyncResult.failed(Errors.REBALANCE_IN_PROGRESS));
            }
            case COMPLETING_REBALANCE -> {
                if (m.awaitingSync != null) {
                    m.awaitingSync.complete(SyncResult.failed(Errors.REBALANCE_IN_PROGRESS));
                }
                CompletableFuture<SyncResult> response = new CompletableFuture<>();
                m.awaitingSync = response;
                g.pendingSync.remove(m.memberId);
                if (g.isLeader(m.memberId)) {
                    assign(g, r.assignments());
                }
                if (g.pendingSync.isEmpty()) {
                    g.cancelSyncTimer();
                }
                return response;
            }
            case STABLE -> {
                g.pendingSync.remove(m.memberId);
                if (g.pendingSync.isEmpty()) {
                    g.cancelSyncTimer();
                }
                schedule(g, m, m.sessionTimeoutMs);
                return CompletableFuture.completedFuture(new SyncResult(Errors.NONE, g.protocolType,
                        g.protocolName, m.assignment));
            }
            default -> {
                return CompletableFuture.completedFuture(SyncResult.failed(Errors.UNKNOWN_MEMBER_ID));
            }
        }
    }

    /** The leader's assignment: each member gets its bytes (empty when the leader left it out); the group is Stable. */
    private void assign(ClassicGroup g, Map<String, byte[]> assignments) {
        for (GroupMember m : g.members.values()) {
            byte[] a = assignments.get(m.memberId);
            m.assignment = a == null ? new byte[0] : a.clone();
        }
        g.transitionTo(GroupState.STABLE, clock.getAsLong());
        LOG.info("Assignment received from leader {} for group {} for generation {}", g.leaderId, g.groupId,
                g.generationId);
        for (GroupMember m : List.copyOf(g.members.values())) {
            CompletableFuture<SyncResult> f = m.awaitingSync;
            if (f != null) {
                m.awaitingSync = null;
                schedule(g, m, m.sessionTimeoutMs);
                f.complete(new SyncResult(Errors.NONE, g.protocolType, g.protocolName, m.assignment));
            }
        }
    }

    Errors heartbeat(String groupId, String memberId, String groupInstanceId, int generationId) {
        ClassicGroup g = groups.get(groupId);
        Errors error = check(g, memberId, groupInstanceId, generationId);
        if (error != Errors.NONE) {
            return error;
        }
        GroupMember m = g.get(memberId);
        return switch (g.state()) {
            case COMPLETING_REBALANCE, STABLE -> {
                schedule(g, m, m.sessionTimeoutMs);
                yield Errors.NONE;
            }
            case PREPARING_REBALANCE -> {
                schedule(g, m, m.sessionTimeoutMs);
                yield Errors.REBALANCE_IN_PROGRESS;
            }
            default -> Errors.UNKNOWN_MEMBER_ID;
        };
    }

    /** The checks SyncGroup, Heartbeat and OffsetCommit share, in Kafka's order. */
    static Errors check(ClassicGroup g, String memberId, String groupInstanceId, int generationId) {
        if (g == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (g.is(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (g.isStaticMemberFenced(groupInstanceId, memberId)) {
            return Errors.FENCED_INSTANCE_ID;
        }
        if (!g.has(memberId)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (generationId != g.generationId) {
            return Errors.ILLEGAL_GENERATION;
        }
        return Errors.NONE;
    }

    LeaveResult leave(String groupId, List<LeaveResult.Member> leaving) {
        ClassicGroup g = groups.get(groupId);
        List<LeaveResult.Member> results = new ArrayList<>();
        if (g == null) {
            leaving.forEach(l -> results.add(new LeaveResult.Member(l.memberId(), l.groupInstanceId(),
                    Errors.UNKNOWN_MEMBER_ID)));
            return new LeaveResult(Errors.NONE, results);
        }
        if (g.is(GroupState.DEAD)) {
            return new LeaveResult(Errors.COORDINATOR_NOT_AVAILABLE, List.of());
        }
        boolean left = false;
        for (LeaveResult.Member l : leaving) {
            String id = l.memberId() == null ? "" : l.memberId();
            Errors error;
            if (id.isEmpty() && l.groupInstanceId() != null) {
                String holder = g.staticMembers.get(l.groupInstanceId());
                error = holder == null ? Errors.UNKNOWN_MEMBER_ID : Errors.NONE;
                id = holder;
            } else if (g.isStaticMemberFenced(l.groupInstanceId(), id)) {
                error = Errors.FENCED_INSTANCE_ID;
            } else if (g.pendingMembers.containsKey(id)) {
                g.pendingMembers.remove(id).cancel(false);
                left = true;
                error = Errors.NONE;
                id = null;
            } else {
                error = g.has(id) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
            }
            if (error == Errors.NONE && id != null) {
                LOG.info("Member {} leaves group {}", id, g.groupId);
                remove(g, id);
                left = true;
            }
            results.add(new LeaveResult.Member(l.memberId(), l.groupInstanceId(), error));
        }
        if (left) {
            memberLeft(g, "members left the group");
        }
        return new LeaveResult(Errors.NONE, results);
    }

    /** (Re)starts {@code m}'s session: it is dropped unless it heartbeats (joins, syncs) within {@code timeoutMs}. */
    void schedule(ClassicGroup g, GroupMember m, long timeoutMs) {
        m.cancelSessionTimer();
        m.sessionTimer = loop.schedule(() -> sessionExpired(g, m), timeoutMs, TimeUnit.MILLISECONDS);
    }

    private void sessionExpired(ClassicGroup g, GroupMember m) {
        if (groups.get(g.groupId) != g || g.get(m.memberId) != m) {
            return;
        }
        if ((m.awaitingJoin != null && !m.isNew) || m.awaitingSync != null) {
            return; // waiting for the rebalance: its timeouts apply, and the session restarts when it ends
        }
        LOG.info("Member {} in group {} has failed (no heartbeat within {} ms), removing it from the group", m,
                g.groupId, m.isNew ? "the new-member join timeout of" : m.sessionTimeoutMs);
        remove(g, m.memberId);
        memberLeft(g, "member " + m.memberId + " failed");
    }

    /** The leader (or a follower) did not send SyncGroup within the rebalance timeout: drop them, rebalance. */
    void syncTimedOut(ClassicGroup g, int generation) {
        if (groups.get(g.groupId) != g || g.generationId != generation || g.pendingSync.isEmpty()
                || !(g.is(GroupState.COMPLETING_REBALANCE) || g.is(GroupState.STABLE))) {
            return;
        }
        for (String id : List.copyOf(g.pendingSync)) {
            LOG.info("Member {} of group {} did not sync in time and leaves the group", id, g.groupId);
            remove(g, id);
        }
        g.syncTimer = null;
        memberLeft(g, "members did not sync");
    }

    /** Takes a member out; its waiting JoinGroup or SyncGroup is answered UNKNOWN_MEMBER_ID. */
    void remove(ClassicGroup g, String memberId) {
        GroupMember m = g.remove(memberId);
        if (m == null) {
            return;
        }
        if (m.awaitingJoin != null) {
            CompletableFuture<JoinResult> f = m.awaitingJoin;
            m.awaitingJoin = null;
            f.complete(JoinResult.failed(Errors.UNKNOWN_MEMBER_ID, memberId));
        }
        if (m.awaitingSync != null) {
            CompletableFuture<SyncResult> f = m.awaitingSync;
            m.awaitingSync = null;
            f.complete(SyncResult.failed(Errors.UNKNOWN_MEMBER_ID));
        }
    }

    /** After members left: a rebalance either completes without them or starts. */
    private void memberLeft(ClassicGroup g, String reason) {
        switch (g.state()) {
            case PREPARING_REBALANCE -> membership.maybeCompleteJoin(g);
            case STABLE, COMPLETING_REBALANCE -> {
                membership.prepareRebalance(g, reason);
                membership.maybeCompleteJoin(g);
            }
            default -> {
            }
        }
    }

    /**
     * This broker no longer coordinates {@code g} (or it was deleted): every waiting response gets {@code error},
     * timers stop, the group is Dead and forgotten.
     */
    void unload(ClassicGroup g, Errors error) {
        g.cancelTimers();
        for (GroupMember m : g.members.values()) {
            if (m.awaitingJoin != null) {
                m.awaitingJoin.complete(JoinResult.failed(error, m.memberId));
                m.awaitingJoin = null;
            }
            if (m.awaitingSync != null) {
                m.awaitingSync.complete(SyncResult.failed(error));
                m.awaitingSync = null;
            }
        }
        g.transitionTo(GroupState.DEAD, clock.getAsLong());
        groups.remove(g.groupId, g);
    }
}
