package io.runnel.metadata.active;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ControllerApiException;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.fetch.FetchResponder;
import io.runnel.metadata.quorum.ControllerHooks;
import io.runnel.metadata.quorum.MetadataStateMachine;
import io.runnel.metadata.quorum.QuorumInfo;
import io.runnel.metadata.quorum.QuorumIntrospection;
import io.runnel.metadata.rpc.ControllerRequest;
import io.runnel.metadata.rpc.ControllerResponse;
import io.runnel.metadata.rpc.FetchMetadataRequest;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active controller: the controller logic of the member that is the Ratis leader (KRaft's active controller,
 * KIP-631). Requests arrive as Ratis read-only messages ({@link ControllerHooks#handle}); a member that is not the
 * ready leader answers NOT_CONTROLLER (41) with the leader it knows. On the leader, requests run one at a time on a
 * single controller thread ({@link ControllerRequests}); DescribeQuorum is answered directly, and FetchMetadata
 * (brokers following the log) by a {@link FetchResponder} on a thread of its own, so a long poll never delays a
 * request.
 *
 * <p>Becoming leader (Ratis' {@code notifyLeaderReady}, after every earlier entry is applied) starts a new term of
 * controller soft state: every registered broker gets a fresh heartbeat session, the session-expiry check runs every
 * {@code min(500, broker.session.timeout.ms / 4)} ms, and preferred-leader election every {@code
 * leader.imbalance.check.interval.seconds} when {@code auto.leader.rebalance.enable}. Losing leadership stops both.
 */
public final class ActiveController implements ControllerHooks, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveController.class);

    private final int nodeId;
    private final MetadataStateMachine sm;
    private final RaftServer server;
    private final RaftGroupId groupId;
    private final ControllerConfig config;
    private final LongSupplier nanos;
    private final LongSupplier wallMs;
    private final BrokerSessions sessions;
    private final BrokerLifecycleManager lifecycle;
    private final ControllerRequests requests;
    private final QuorumIntrospection introspection;
    private final VoterChanges voterChanges;
    private final ScheduledExecutorService executor;
    private final ExecutorService fetchExecutor;
    private final FetchResponder fetches;
    private final ObserverFetches observerFetches = new ObserverFetches();
    private final Set<CompletableFuture<byte[]>> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile long activeTerm = -1;
    private ScheduledFuture<?> sessionCheck;
    private ScheduledFuture<?> rebalance;

    public ActiveController(int nodeId, MetadataStateMachine sm, RaftServer server, RaftGroupId groupId,
                            ControllerConfig config) {
        this.nodeId = nodeId;
        this.sm = sm;
        this.server = server;
        this.groupId = groupId;
        this.config = config;
        this.nanos = System::nanoTime;
        this.wallMs = System::currentTimeMillis;
        this.sessions = new BrokerSessions(config.sessionTimeoutMs());
        ControllerWriter writer = new ControllerWriter(server, groupId, config.writeTimeoutMs());
        this.lifecycle = new BrokerLifecycleManager(sm, writer, config, sessions, nanos);
        this.requests = new ControllerRequests(sm, writer, config, lifecycle);
        this.introspection = new QuorumIntrospection(wallMs);
        this.voterChanges = new VoterChanges(server, groupId);
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "runnel-controller-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        this.executor = ex;
        this.fetchExecutor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "runnel-metadata-fetch-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        this.fetches = new FetchResponder(sm.recentEntries(), fetchExecutor);
    }

    /** Whether this member currently acts as the active controller. */
    public boolean isActive() {
        return activeTerm >= 0;
    }

    @Override
    public void onLeaderReady() {
        submit(this::activate);
    }

    @Override
    public void onLeadershipLost() {
        if (activeTerm >= 0) {
            LOG.info("Node {} is no longer the active controller (term {})", nodeId, activeTerm);
        }
        activeTerm = -1;
        submit(this::stopTimers);
    }

    private void activate() {
        DivisionInfo info;
        try {
            info = server.getDivision(groupId).getInfo();
        } catch (IOException e) {
            return;
        }
        if (!info.isLeader() || !info.isLeaderReady()) {
            return; // lost it again before this ran
        }
        stopTimers();
        sessions.reset(sm.image().brokers().keySet(), nanos.getAsLong());
        activeTerm = info.getCurrentTerm();
        long period = Math.max(20, Math.min(500, config.sessionTimeoutMs() / 4));
        sessionCheck = executor.scheduleWithFixedDelay(() -> timer(lifecycle::expireSessions), period, period,
                TimeUnit.MILLISECONDS);
        if (config.autoLeaderRebalance()) {
            long every = config.leaderImbalanceCheckIntervalMs();
            rebalance = executor.scheduleWithFixedDelay(() -> timer(lifecycle::rebalance), every, every,
                    TimeUnit.MILLISECONDS);
        }
        LOG.info("Node {} is the active controller for term {} with {} registered broker(s)", nodeId, activeTerm,
                sm.image().brokers().size());
    }

    private void stopTimers() {
        if (sessionCheck != null) {
            sessionCheck.cancel(false);
            sessionCheck = null;
        }
        if (rebalance != null) {
            rebalance.cancel(false);
            rebalance = null;
        }
    }

    private void timer(Runnable task) {
        if (activeTerm < 0) {
            return;
        }
        try {
            task.run();
        } catch (ControllerApiException e) {
            LOG.warn("Controller task failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Controller task failed", e);
        }
    }

    @Override
    public CompletableFuture<byte[]> handle(byte[] bytes) {
        ControllerRequest req;
        try {
            req = ControllerRequest.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return done(error(ApiError.of(ErrorCode.INVALID_REQUEST, "Undecodable controller request: "
                    + e.getMessage())));
        }
        if (activeTerm < 0) {
            return done(notController());
        }
        if (req.hasDescribeQuorum()) {
            return done(describeQuorum());
        }
        if (req.hasFetchMetadata()) {
            return fetch(req.getFetchMetadata());
        }
        if (req.hasAddRaftVoter() || req.hasRemoveRaftVoter()) {
            return voterChange(req);
        }
        if (req.hasBrokerHeartbeat()) {
            lifecycle.recordArrival(req.getBrokerHeartbeat());
        }
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        pending.add(f);
        f.whenComplete((r, e) -> pending.remove(f));
        if (!submit(() -> f.complete(process(req).toByteArray()))) {
            f.complete(notController().toByteArray());
        }
        return f;
    }

    /** AddRaftVoter / RemoveRaftVoter: checked on the controller thread, answered when Ratis finished the change. */
    private CompletableFuture<byte[]> voterChange(ControllerRequest req) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        pending.add(f);
        f.whenComplete((r, e) -> pending.remove(f));
        boolean queued = submit(() -> {
            if (activeTerm < 0) {
                f.complete(notController().toByteArray());
                return;
            }
            (req.hasAddRaftVoter() ? voterChanges.add(req.getAddRaftVoter())
                    : voterChanges.remove(req.getRemoveRaftVoter())).whenComplete((r, e) -> {
                        ControllerResponse.Builder out = ControllerResponse.newBuilder();
                        if (e != null) {
                            f.complete(error(ApiError.of(ErrorCode.UNKNOWN_SERVER_ERROR, String.valueOf(e)))
                                    .toByteArray());
                        } else if (r.getErrorCode() == ErrorCode.NOT_CONTROLLER.code()) {
                            f.complete(notController().toByteArray());
                        } else {
                            f.complete((req.hasAddRaftVoter() ? out.setAddRaftVoter(r) : out.setRemoveRaftVoter(r))
                                    .build().toByteArray());
                        }
                    });
        });
        if (!queued) {
            f.complete(notController().toByteArray());
        }
        return f;
    }

    private ControllerResponse process(ControllerRequest req) {
        if (activeTerm < 0) {
            return notController();
        }
        try {
            return requests.process(req);
        } catch (ControllerApiException e) {
            return error(e.error());
        } catch (RuntimeException e) {
            LOG.error("Controller request {} failed", req.getRequestCase(), e);
            return error(ApiError.of(ErrorCode.UNKNOWN_SERVER_ERROR, String.valueOf(e)));
        }
    }

    private CompletableFuture<byte[]> fetch(FetchMetadataRequest r) {
        observerFetches.record(r.getReplicaId(), r.getFetchOffset(), wallMs.getAsLong(),
                r.getFetchOffset() >= sm.recentEntries().appliedIndex());
        try {
            // the only failure is a closing controller (its fetch thread stopped): the client tries another
            return fetches.fetch(r).handle((response, e) -> (e == null
                    ? ControllerResponse.newBuilder().setFetchMetadata(response).build() : notController())
                    .toByteArray());
        } catch (RejectedExecutionException e) {
            return done(notController());
        }
    }

    private ControllerResponse describeQuorum() {
        try {
            QuorumInfo info = quorumInfo();
            return info == null ? notController() : ControllerResponse.newBuilder()
                    .setDescribeQuorum(info.toProto()).build();
        } catch (IOException e) {
            return notController();
        }
    }

    /** The quorum as this member sees it, or null when it is not the leader. */
    public QuorumInfo quorumInfo() throws IOException {
        RaftServer.Division division = server.getDivision(groupId);
        Set<Integer> voters = new HashSet<>();
        division.getGroup().getPeers().forEach(p -> voters.add(Integer.parseInt(p.getId().toString())));
        long now = wallMs.getAsLong();
        return introspection.describe(division, ObserverFetches.merge(observerFetches.observers(voters, now),
                lifecycle.observers(voters, now)));
    }

    private ControllerResponse notController() {
        RaftPeerId leader = sm.leaderId();
        int hint = leader == null ? -1 : Integer.parseInt(leader.toString());
        String address = "";
        try {
            org.apache.ratis.protocol.RaftPeer peer = leader == null ? null
                    : server.getDivision(groupId).getRaftConf().getPeer(leader);
            address = peer == null || peer.getAddress() == null ? "" : peer.getAddress();
        } catch (IOException | RuntimeException e) {
            // no address: the client tries the voters it knows
        }
        return ControllerResponse.newBuilder().setErrorCode(ErrorCode.NOT_CONTROLLER.code())
                .setLeaderAddress(hint == nodeId ? "" : address)
                .setErrorMessage("Node " + nodeId + " is not the active controller"
                        + (hint >= 0 && hint != nodeId ? "; the leader is node " + hint : "; no leader is known"))
                .setLeaderHint(hint == nodeId ? -1 : hint).build();
    }

    private static ControllerResponse error(ApiError e) {
        return ControllerResponse.newBuilder().setErrorCode(e.error().code())
                .setErrorMessage(String.valueOf(e.message())).setLeaderHint(-1).build();
    }

    private static CompletableFuture<byte[]> done(ControllerResponse r) {
        return CompletableFuture.completedFuture(r.toByteArray());
    }

    private boolean submit(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public void close() {
        activeTerm = -1;
        executor.shutdownNow();
        fetchExecutor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] closed = error(ApiError.of(ErrorCode.NOT_CONTROLLER, "Node " + nodeId + " is shutting down"))
                .toByteArray();
        pending.forEach(f -> f.complete(closed));
    }
}
