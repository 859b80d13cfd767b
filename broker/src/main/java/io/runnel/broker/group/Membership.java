package io.runnel.broker.group;

import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * JoinGroup and the rebalance it drives, as Kafka's classic coordinator runs them: new members (with KIP-394's
 * MEMBER_ID_REQUIRED round trip from v4), known members rejoining, static members replacing their previous
 * incarnation (KIP-345, KIP-814), the initial rebalance delay of an empty group (KIP-134), completion once every
 * member has rejoined or at the rebalance timeout (members that did not rejoin are dropped), and generation
 * bookkeeping. SyncGroup, Heartbeat, LeaveGroup and session expiry are in {@link MemberSessions}.
 *
 * <p>Runs only on the coordinator's event-loop thread ({@code loop}), which also runs its timers; nothing here
 * blocks.
 */
final class Membership {
    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
    private final GroupConfig config;
    private final ScheduledExecutorService loop;
    private final Map<String, ClassicGroup> groups;
    private final LongSupplier clock;
    private MemberSessions sessions;

    Membership(GroupConfig config, ScheduledExecutorService loop, Map<String, ClassicGroup> groups,
               LongSupplier clock) {
        this.config = config;
        this.loop = loop;
        this.groups = groups;
        this.clock = clock;
    }

    void sessions(MemberSessions sessions) {
        this.sessions = sessions;
    }

    CompletableFuture<JoinResult> join(JoinRequest r) {
        int session = r.sessionTimeoutMs();
        if (session < config.minSessionTimeoutMs() || session > config.maxSessionTimeoutMs()) {
            return failed(Errors.INVALID_SESSION_TIMEOUT, r.memberId());
        }
        boolean firstJoin = r.memberId().isEmpty();
        ClassicGroup g = groups.get(r.groupId());
        if (g == null) {
            if (!firstJoin) {
                return failed(Errors.UNKNOWN_MEMBER_ID, r.memberId());
            }
            g = new ClassicGroup(r.groupId(), 0L);
            groups.put(r.groupId(), g);
        }
        CompletableFuture<JoinResult> result;
        if (g.is(GroupState.DEAD)) {
            result = failed(Errors.COORDINATOR_NOT_AVAILABLE, r.memberId());
        } else if (!g.supportsProtocols(r.protocolType(), r.protocolNames())) {
            result = failed(Errors.INCONSISTENT_GROUP_PROTOCOL, r.memberId());
        } else {
            result = firstJoin ? joinWithoutId(g, r) : joinWithId(g, r);
        }
        dropIfUnused(g);
        return result;
    }

    private CompletableFuture<JoinResult> joinWithoutId(ClassicGroup g, JoinRequest r) {
        if (r.groupInstanceId() != null) {
            String newId = r.groupInstanceId() + "-" + UUID.randomUUID();
            String holder = g.staticMembers.get(r.groupInstanceId());
            return holder == null ? addMemberAndRebalance(g, newId, r)
                    : replaceStaticMember(g, g.get(holder), newId, r);
        }
        String newId = r.clientId() + "-" + UUID.randomUUID();
        if (r.requireKnownMemberId()) {
            if (g.members.size() + g.pendingMembers.size() >= config.maxGroupSize()) {
                return failed(Errors.GROUP_MAX_SIZE_REACHED, "");
            }
            // KIP-394: hand out an id; the member joins again with it, so an id is never added twice
            g.pendingMembers.put(newId, loop.schedule(() -> expirePending(g, newId), r.sessionTimeoutMs(),
                    TimeUnit.MILLISECONDS));
            return CompletableFuture.completedFuture(new JoinResult(Errors.MEMBER_ID_REQUIRED, -1, null, null, "",
                    newId, List.of(), false));
        }
        return addMemberAndRebalance(g, newId, r);
    }

    private CompletableFuture<JoinResult> joinWithId(ClassicGroup g, JoinRequest r) {
        String id = r.memberId();
        var pending = g.pendingMembers.remove(id);
        if (pending != null) {
            pending.cancel(false);
            return addMemberAndRebalance(g, id, r);
        }
        if (g.isStaticMemberFenced(r.groupInstanceId(), id)) {
            return failed(Errors.FENCED_INSTANCE_ID, id);
        }
        GroupMember m = g.get(id);
        if (m == null) {
            return failed(Errors.UNKNOWN_MEMBER_ID, id);
        }
        boolean unchanged = MemberProtocol.sameProtocols(m.protocols, r.protocols());
        return switch (g.state()) {
            case PREPARING_REBALANCE -> updateMemberAndRebalance(g, m, r);
            // the member lost the response of the join that completed: give it again
            case COMPLETING_REBALANCE -> unchanged ? CompletableFuture.completedFuture(current(g, m,
                    g.isLeader(id))) : updateMemberAndRebalance(g, m, r);
            // a leader rejoining may have seen metadata change (e.g. new partitions): always rebalance for it
            case STABLE -> g.isLeader(id) || !unchanged ? updateMemberAndRebalance(g, m, r)
                    : CompletableFuture.completedFuture(current(g, m, false));
            case EMPTY, DEAD -> failed(Errors.UNKNOWN_MEMBER_ID, id);
        };
    }

    private CompletableFuture<JoinResult> addMemberAndRebalance(ClassicGroup g, String memberId, JoinRequest r) {
        if (g.members.size() >= config.maxGroupSize()) {
            return failed(Errors.GROUP_MAX_SIZE_REACHED, memberId);
        }
        GroupMember m = new GroupMember(memberId, r.groupInstanceId(), r);
        m.isNew = true;
        CompletableFuture<JoinResult> response = new CompletableFuture<>();
        m.awaitingJoin = response;
        if (g.is(GroupState.PREPARING_REBALANCE) && g.generationId == 0) {
            g.newMemberAdded = true; // lets the initial delay extend (KIP-134)
        }
        g.add(m, r.protocolType());
        sessions.schedule(g, m, config.newMemberJoinTimeoutMs());
        LOG.debug("Member {} joins {}", m, g);
        maybePrepareRebalance(g, "member " + memberId + " joined");
        maybeCompleteJoin(g);
        return response;
    }

    private CompletableFuture<JoinResult> updateMemberAndRebalance(ClassicGroup g, GroupMember m, JoinRequest r) {
        m.update(r);
        CompletableFuture<JoinResult> response = awaitJoin(m);
        maybePrepareRebalance(g, "member " + m.memberId + " rejoined");
        maybeCompleteJoin(g);
        return response;
    }

    /** A static member restarted and joined without its id: it takes the old id's place (KIP-345). */
    private CompletableFuture<JoinResult> replaceStaticMember(ClassicGroup g, GroupMember old, String newId,
                                                              JoinRequest r) {
        String previousLeader = g.leaderId;
        CompletableFuture<JoinResult> oldJoin = old.awaitingJoin;
        CompletableFuture<SyncResult> oldSync = old.awaitingSync;
        GroupMember m = g.replaceStatic(old, newId, r);
        if (oldJoin != null) {
            oldJoin.complete(JoinResult.failed(Errors.FENCED_INSTANCE_ID, old.memberId));
        }
        if (oldSync != null) {
            oldSync.complete(SyncResult.failed(Errors.FENCED_INSTANCE_ID));
        }
        sessions.schedule(g, m, m.sessionTimeoutMs);
        LOG.info("Static member {} of group {} replaced by {}", old, g.groupId, newId);
        switch (g.state()) {
            case STABLE -> {
                if (g.selectProtocol().filter(p -> p.equals(g.protocolName)).isPresent()) {
                    boolean leader = g.isLeader(newId);
                    if (leader && r.canSkipAssignment()) {
                        return CompletableFuture.completedFuture(new JoinResult(Errors.NONE, g.generationId,
                                g.protocolType, g.protocolName, newId, newId, g.leaderView(), true));
                    }
                    // before KIP-814 the old leader id is returned, so the member acts as a follower and syncs
                    return CompletableFuture.completedFuture(new JoinResult(Errors.NONE, g.generationId,
                            g.protocolType, g.protocolName, previousLeader, newId, List.of(), false));
                }
                CompletableFuture<JoinResult> response = awaitJoin(m);
                prepareRebalance(g, "static member " + newId + " changed the group's protocol");
                return response;
            }
            case COMPLETING_REBALANCE -> {
                // the leader may be assigning to the old id: start over so the new id gets an assignment
                CompletableFuture<JoinResult> response = awaitJoin(m);
                prepareRebalance(g, "static member " + newId + " rejoined during a sync");
                maybeCompleteJoin(g);
                return response;
            }
            case PREPARING_REBALANCE -> {
                CompletableFuture<JoinResult> response = awaitJoin(m);
                maybeCompleteJoin(g);
                return response;
            }
            default -> {
                return failed(Errors.UNKNOWN_MEMBER_ID, newId);
            }
        }
    }

    private static CompletableFuture<JoinResult> awaitJoin(GroupMember m) {
        if (m.awaitingJoin != null) {
            m.awaitingJoin.complete(JoinResult.failed(Errors.REBALANCE_IN_PROGRESS, m.memberId));
        }
        CompletableFuture<JoinResult> response = new CompletableFuture<>();
        m.awaitingJoin = response;
        return response;
    }

    private static JoinResult current(ClassicGroup g, GroupMember m, boolean withMembers) {
        return new JoinResult(Errors.NONE, g.generationId, g.protocolType, g.protocolName, g.leaderId, m.memberId,
                withMembers ? g.leaderView() : List.of(), false);
    }

    void maybePrepareRebalance(ClassicGroup g, String reason) {
        if (g.is(GroupState.STABLE) || g.is(GroupState.COMPLETING_REBALANCE) || g.is(GroupState.EMPTY)) {
            prepareRebalance(g, reason);
        }
    }

    /** Starts a rebalance: every member must rejoin within the rebalance timeout. */
    void prepareRebalance(ClassicGroup g, String reason) {
        if (g.is(GroupState.COMPLETING_REBALANCE)) {
            // the leader's assignment for this generation will not be used: members waiting in SyncGroup rejoin
            for (GroupMember m : g.members.values()) {
                m.assignment = new byte[0];
                if (m.awaitingSync != null) {
                    CompletableFuture<SyncResult> f = m.awaitingSync;
                    m.awaitingSync = null;
                    f.complete(SyncResult.failed(Errors.REBALANCE_IN_PROGRESS));
                }
            }
        }
        g.cancelSyncTimer();
        g.pendingSync.clear();
        boolean initial = g.is(GroupState.EMPTY);
        int rebalanceTimeoutMs = g.rebalanceTimeoutMs();
        g.transitionTo(GroupState.PREPARING_REBALANCE, clock.getAsLong());
        if (g.joinTimer != null) {
            g.joinTimer.cancel(false);
        }
        if (initial) {
            int delay = config.initialRebalanceDelayMs();
            g.inInitialDelay = true;
            g.newMemberAdded = false;
            g.initialDelayRemainingMs = Math.max(rebalanceTimeoutMs - delay, 0);
            g.joinTimer = loop.schedule(() -> initialDelayOver(g), delay, TimeUnit.MILLISECONDS);
        } else {
            g.inInitialDelay = false;
            g.joinTimer = loop.schedule(() -> rebalanceTimedOut(g), rebalanceTimeoutMs, TimeUnit.MILLISECONDS);
        }
        LOG.info("Preparing to rebalance group {} in state {} with old generation {} (reason: {})", g.groupId,
                g.state(), g.generationId, reason);
    }

    private void initialDelayOver(ClassicGroup g) {
        if (groups.get(g.groupId) != g || !g.is(GroupState.PREPARING_REBALANCE) || !g.inInitialDelay) {
            return;
        }
        int configured = config.initialRebalanceDelayMs();
        if (g.newMemberAdded && g.initialDelayRemainingMs > 0 && configured > 0) {
            long delay = Math.min(configured, g.initialDelayRemainingMs);
            g.initialDelayRemainingMs -= delay;
            g.newMemberAdded = false;
            g.joinTimer = loop.schedule(() -> initialDelayOver(g), delay, TimeUnit.MILLISECONDS);
            return;
        }
        g.inInitialDelay = false;
        completeJoin(g);
    }

    private void rebalanceTimedOut(ClassicGroup g) {
        if (groups.get(g.groupId) == g && g.is(GroupState.PREPARING_REBALANCE) && !g.inInitialDelay) {
            completeJoin(g);
        }
    }

    /** Completes the rebalance once every member has rejoined (outside the initial delay). */
    void maybeCompleteJoin(ClassicGroup g) {
        if (g.is(GroupState.PREPARING_REBALANCE) && !g.inInitialDelay && g.allMembersJoined()) {
            completeJoin(g);
        }
    }

    /** Drops members that did not rejoin, starts the next generation and answers every waiting JoinGroup. */
    private void completeJoin(ClassicGroup g) {
        if (g.joinTimer != null) {
            g.joinTimer.cancel(false);
            g.joinTimer = null;
        }
        for (GroupMember late : g.notYetRejoined()) {
            LOG.info("Member {} of group {} did not rejoin in time and leaves the group", late, g.groupId);
            sessions.remove(g, late.memberId);
        }
        g.pendingMembers.values().forEach(f -> f.cancel(false));
        g.pendingMembers.clear();
        long now = clock.getAsLong();
        g.generationId++;
        var selected = g.selectProtocol();
        if (g.members.isEmpty() || selected.isEmpty()) {
            for (GroupMember m : List.copyOf(g.members.values())) {
                sessions.remove(g, m.memberId); // members without a common protocol (not reachable by joins)
            }
            g.protocolName = null;
            g.transitionTo(GroupState.EMPTY, now);
            LOG.info("Group {} with generation {} is now empty", g.groupId, g.generationId);
            return;
        }
        g.protocolName = selected.get();
        g.transitionTo(GroupState.COMPLETING_REBALANCE, now);
        g.pendingSync.addAll(g.members.keySet());
        int generation = g.generationId;
        g.syncTimer = loop.schedule(() -> sessions.syncTimedOut(g, generation), g.rebalanceTimeoutMs(),
                TimeUnit.MILLISECONDS);
        LOG.info("Stabilized group {} generation {} with {} members (protocol {})", g.groupId, generation,
                g.members.size(), g.protocolName);
        List<JoinResult.JoinedMember> leaderView = g.leaderView();
        for (GroupMember m : List.copyOf(g.members.values())) {
            CompletableFuture<JoinResult> f = m.awaitingJoin;
            m.awaitingJoin = null;
            m.isNew = false;
            sessions.schedule(g, m, m.sessionTimeoutMs);
            if (f != null) {
                f.complete(new JoinResult(Errors.NONE, generation, g.protocolType, g.protocolName, g.leaderId,
                        m.memberId, g.isLeader(m.memberId) ? leaderView : List.of(), false));
            }
        }
    }

    private void expirePending(ClassicGroup g, String memberId) {
        if (groups.get(g.groupId) == g && g.pendingMembers.remove(memberId) != null) {
            LOG.debug("Pending member {} of group {} never joined", memberId, g.groupId);
            maybeCompleteJoin(g);
            dropIfUnused(g);
        }
    }

    /** Forgets a group that was created for a join that failed and holds nothing. */
    void dropIfUnused(ClassicGroup g) {
        if (g.is(GroupState.EMPTY) && g.generationId == 0 && g.members.isEmpty() && g.pendingMembers.isEmpty()
                && g.offsetWrites.isDone() && groups.get(g.groupId) == g) {
            groups.remove(g.groupId);
        }
    }

    private static CompletableFuture<JoinResult> failed(Errors error, String memberId) {
        return CompletableFuture.completedFuture(JoinResult.failed(error, memberId));
    }
}
