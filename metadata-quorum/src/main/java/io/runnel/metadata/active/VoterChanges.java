package io.runnel.metadata.active;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.quorum.QuorumNode;
import io.runnel.metadata.quorum.QuorumVoter;
import io.runnel.metadata.rpc.AddRaftVoterRequest;
import io.runnel.metadata.rpc.RaftVoterChangeResponse;
import io.runnel.metadata.rpc.RemoveRaftVoterRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.exceptions.ReconfigurationInProgressException;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Controller quorum membership (KIP-853's AddRaftVoter, key 80, and RemoveRaftVoter, key 81) on Ratis' configuration
 * change: the leader sets the new voter set with {@code SetConfigurationRequest} in COMPARE_AND_SET mode (so nothing
 * changed the configuration between the check and the change), Ratis first catches an added server up (staging),
 * then commits the joint and the new configuration. One voter per change, one change at a time.
 *
 * <p>Refusals, which change nothing: DUPLICATE_VOTER (126) adding a voter id already in the configuration;
 * VOTER_NOT_FOUND (127) removing an id that is not a voter; REQUEST_TIMED_OUT (7) while another change is in progress
 * (Kafka's answer there too); INVALID_REQUEST (42) removing the last voter, or a change after which the live voters
 * would not form a majority of the new voter set. A voter is live when it is the leader or answered the leader within
 * {@link #LIVE_MS} since it became the leader; an added server new to the configuration counts as live (Ratis catches
 * it up before the change), an added listener (a removed voter) only when it is live itself, as Ratis makes it a voter
 * at once: adding back a listener that is not live answers REQUEST_TIMED_OUT and changes nothing. A change that
 * does not complete within its timeout answers REQUEST_TIMED_OUT; Ratis may still finish it.
 *
 * <p>{@link #add} and {@link #remove} must run on the controller thread; they return at once with the change's future.
 */
final class VoterChanges {
    /** A follower that answered the leader within this many ms counts as live. */
    static final long LIVE_MS = 3_000;
    /** The bound on a change when the request gives none, ms. */
    static final long DEFAULT_TIMEOUT_MS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(VoterChanges.class);

    private final RaftServer server;
    private final RaftGroupId groupId;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final AtomicBoolean inProgress = new AtomicBoolean();

    VoterChanges(RaftServer server, RaftGroupId groupId) {
        this.server = server;
        this.groupId = groupId;
    }

    /** AddRaftVoter: {@code r.voter_id} at {@code r.host:r.port} becomes a voter. */
    CompletableFuture<RaftVoterChangeResponse> add(AddRaftVoterRequest r) {
        try {
            RaftServer.Division division = server.getDivision(groupId);
            RaftConfiguration conf = division.getRaftConf();
            Collection<RaftPeer> current = conf.getCurrentPeers(RaftPeerRole.FOLLOWER);
            if (contains(current, r.getVoterId())) {
                return done(ErrorCode.DUPLICATE_VOTER, "Node " + r.getVoterId() + " already is a voter " + ids(current));
            }
            if (r.getHost().isBlank() || r.getPort() <= 0 || r.getPort() > 65535) {
                return done(ErrorCode.INVALID_REQUEST, "AddRaftVoter needs the new voter's controller listener "
                        + "host and port (got '" + r.getHost() + ":" + r.getPort() + "')");
            }
            // Ratis stages (catches up) only a server new to the configuration; a listener (a removed voter) it
            // promotes at once, so the joint configuration would count it at once: a listener that is not live
            // could leave the new voter set without a live majority, and the quorum without a leader for good
            var listener = conf.getCurrentPeers(RaftPeerRole.LISTENER).stream()
                    .filter(p -> p.getId().equals(QuorumNode.peerId(r.getVoterId()))).findFirst();
            int addedLive = listener.map(p -> live(division, List.of(p))).orElse(1);
            if (addedLive == 0) {
                return done(ErrorCode.REQUEST_TIMED_OUT, "Refusing to add node " + r.getVoterId() + ": it follows "
                        + "the log as a listener but has not answered this leader within " + LIVE_MS + " ms (is it "
                        + "running?); the voter set is unchanged");
            }
            int live = live(division, current);
            int majority = (current.size() + 1) / 2 + 1;
            if (live + addedLive < majority) {
                return done(ErrorCode.INVALID_REQUEST, "Refusing to add node " + r.getVoterId() + ": only " + live
                        + " of the voters " + ids(current) + " are live, and " + (current.size() + 1)
                        + " voters need " + majority);
            }
            RaftPeer added = RaftPeer.newBuilder().setId(QuorumNode.peerId(r.getVoterId()))
                    .setAddress(new QuorumVoter(r.getVoterId(), r.getHost(), r.getPort()).address()).build();
            List<RaftPeer> next = new ArrayList<>(current);
            next.add(added);
            List<RaftPeer> listeners = conf.getCurrentPeers(RaftPeerRole.LISTENER).stream()
                    .filter(p -> !p.getId().equals(added.getId())).toList();
            return change(conf, next, listeners, "add node " + r.getVoterId() + " at " + added.getAddress(),
                    r.getTimeoutMs() > 0 ? r.getTimeoutMs() : DEFAULT_TIMEOUT_MS);
        } catch (IOException e) {
            return done(ErrorCode.NOT_CONTROLLER, "This controller cannot change the quorum: " + e.getMessage());
        }
    }

    /**
     * RemoveRaftVoter: {@code r.voter_id} stops being a voter; a live follower stays in the group as a Ratis listener
     * (it keeps applying the log, and DescribeQuorum lists it as an observer); a dead one, or this leader itself,
     * leaves the group (Ratis then closes the removed leader's division and the remaining voters elect a leader).
     */
    CompletableFuture<RaftVoterChangeResponse> remove(RemoveRaftVoterRequest r) {
        try {
            RaftServer.Division division = server.getDivision(groupId);
            RaftConfiguration conf = division.getRaftConf();
            Collection<RaftPeer> current = conf.getCurrentPeers(RaftPeerRole.FOLLOWER);
            if (!contains(current, r.getVoterId())) {
                return done(ErrorCode.VOTER_NOT_FOUND, "Node " + r.getVoterId() + " is not a voter " + ids(current));
            }
            List<RaftPeer> next = current.stream()
                    .filter(p -> !p.getId().equals(QuorumNode.peerId(r.getVoterId()))).toList();
            if (next.isEmpty()) {
                return done(ErrorCode.INVALID_REQUEST, "Refusing to remove node " + r.getVoterId()
                        + ": it is the last voter");
            }
            int live = live(division, next);
            int majority = next.size() / 2 + 1;
            if (live < majority) {
                return done(ErrorCode.INVALID_REQUEST, "Refusing to remove node " + r.getVoterId() + ": only "
                        + live + " of the remaining voters " + ids(next) + " are live, and " + next.size()
                        + " voters need " + majority);
            }
            // a live removed follower keeps following the log as a non-voting listener (KIP-853's observer), so a
            // combined node's broker keeps a current image; AddRaftVoter makes it a voter again. A dead one is
            // dropped from the configuration altogether, and so is this leader removing itself: Ratis lets a leader
            // that is still a listener go on leading, but closes one that left the group, so the rest elect a leader
            List<RaftPeer> listeners = new ArrayList<>(conf.getCurrentPeers(RaftPeerRole.LISTENER));
            current.stream().filter(p -> p.getId().equals(QuorumNode.peerId(r.getVoterId()))).findFirst()
                    .filter(p -> !p.getId().equals(division.getId()) && live(division, List.of(p)) == 1)
                    .ifPresent(p -> listeners.add(RaftPeer.newBuilder(p)
                            .setStartupRole(RaftPeerRole.LISTENER).build()));
            return change(conf, next, listeners, "remove node " + r.getVoterId(), DEFAULT_TIMEOUT_MS);
        } catch (IOException e) {
            return done(ErrorCode.NOT_CONTROLLER, "This controller cannot change the quorum: " + e.getMessage());
        }
    }

    private CompletableFuture<RaftVoterChangeResponse> change(RaftConfiguration conf, List<RaftPeer> next,
                                                              List<RaftPeer> nextListeners, String what,
                                                              long timeoutMs) {
        if (!conf.getPreviousPeers(RaftPeerRole.FOLLOWER).isEmpty() || !inProgress.compareAndSet(false, true)) {
            return done(ErrorCode.REQUEST_TIMED_OUT, "Refusing to " + what + ": another voter change is in progress");
        }
        SetConfigurationRequest.Arguments args = SetConfigurationRequest.Arguments.newBuilder()
                .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                .setServersInCurrentConf(new ArrayList<>(conf.getCurrentPeers(RaftPeerRole.FOLLOWER)))
                .setListenersInCurrentConf(new ArrayList<>(conf.getCurrentPeers(RaftPeerRole.LISTENER)))
                .setServersInNewConf(next)
                .setListenersInNewConf(nextListeners)
                .build();
        SetConfigurationRequest request = new SetConfigurationRequest(clientId, server.getId(), groupId,
                callIds.incrementAndGet(), args);
        LOG.info("Controller quorum change: {} (voters {} -> {})", what, ids(conf.getCurrentPeers(
                RaftPeerRole.FOLLOWER)), ids(next));
        CompletableFuture<RaftClientReply> reply;
        try {
            reply = server.setConfigurationAsync(request);
        } catch (IOException | RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).handle((rep, err) -> {
            inProgress.set(false);
            Throwable failure = err != null ? unwrap(err) : rep.isSuccess() ? null : rep.getException();
            if (failure == null) {
                LOG.info("Controller quorum change done: {}", what);
                return response(ErrorCode.NONE, null);
            }
            LOG.warn("Controller quorum change failed: {}: {}", what, failure.toString());
            if (failure instanceof TimeoutException) {
                return response(ErrorCode.REQUEST_TIMED_OUT, "The change (" + what + ") did not complete within "
                        + timeoutMs + " ms; it may still complete");
            }
            if (failure instanceof org.apache.ratis.protocol.exceptions.ReconfigurationTimeoutException) {
                return response(ErrorCode.REQUEST_TIMED_OUT, "The change (" + what + ") timed out: the new voter "
                        + "did not catch up (is it running, with controller.quorum.bootstrap.servers?)");
            }
            if (failure instanceof ReconfigurationInProgressException) {
                return response(ErrorCode.REQUEST_TIMED_OUT, "Refusing to " + what + ": another voter change is "
                        + "in progress");
            }
            if (failure instanceof org.apache.ratis.protocol.exceptions.NotLeaderException) {
                return response(ErrorCode.NOT_CONTROLLER, "Leadership moved during the change (" + what + ")");
            }
            return response(ErrorCode.UNKNOWN_SERVER_ERROR, "The change (" + what + ") failed: " + failure);
        });
    }

    /**
     * The voters of {@code among} that are live: the leader, and followers that answered it within LIVE_MS since it
     * became the leader (Ratis starts a new leader's followers as if they had answered one election timeout before,
     * so a follower not heard from yet is not live).
     */
    private static int live(RaftServer.Division division, Collection<RaftPeer> among) {
        RoleInfoProto role = division.getInfo().getRoleInfoProto();
        long bound = Math.min(LIVE_MS, role.getRoleElapsedTimeMs());
        Map<RaftPeerId, Long> elapsed = new HashMap<>();
        if (role.hasLeaderInfo()) {
            for (ServerRpcProto f : role.getLeaderInfo().getFollowerInfoList()) {
                elapsed.put(RaftPeerId.valueOf(f.getId().getId()), f.getLastRpcElapsedTimeMs());
            }
        }
        int live = 0;
        for (RaftPeer p : among) {
            Long e = elapsed.get(p.getId());
            if (p.getId().equals(division.getId()) || (e != null && e < bound)) {
                live++;
            }
        }
        return live;
    }

    private static boolean contains(Collection<RaftPeer> peers, int id) {
        return peers.stream().anyMatch(p -> p.getId().equals(QuorumNode.peerId(id)));
    }

    private static List<Integer> ids(Collection<RaftPeer> peers) {
        return peers.stream().map(p -> Integer.parseInt(p.getId().toString())).sorted().toList();
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static CompletableFuture<RaftVoterChangeResponse> done(ErrorCode error, String message) {
        return CompletableFuture.completedFuture(response(error, message));
    }

    private static RaftVoterChangeResponse response(ErrorCode error, String message) {
        RaftVoterChangeResponse.Builder b = RaftVoterChangeResponse.newBuilder().setErrorCode(error.code());
        if (message != null) {
            b.setErrorMessage(message);
        }
        return b.build();
    }
}
