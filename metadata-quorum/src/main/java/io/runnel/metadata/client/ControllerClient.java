package io.runnel.metadata.client;

import io.runnel.metadata.controller.CreatableTopic;
import io.runnel.metadata.controller.CreateTopicResult;
import io.runnel.metadata.controller.CreateTopicsMessages;
import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ControllerApiException;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.quorum.QuorumInfo;
import io.runnel.metadata.quorum.QuorumNode;
import io.runnel.metadata.quorum.QuorumVoter;
import io.runnel.metadata.rpc.AddRaftVoterRequest;
import io.runnel.metadata.rpc.AllocateProducerIdsRequest;
import io.runnel.metadata.rpc.AllocateProducerIdsResponse;
import io.runnel.metadata.rpc.AlterPartitionReassignmentsRequest;
import io.runnel.metadata.rpc.AlterPartitionReassignmentsResponse;
import io.runnel.metadata.rpc.AlterPartitionRequest;
import io.runnel.metadata.rpc.AlterPartitionResponse;
import io.runnel.metadata.rpc.BrokerHeartbeatRequest;
import io.runnel.metadata.rpc.BrokerHeartbeatResponse;
import io.runnel.metadata.rpc.CommitOffsetsRequest;
import io.runnel.metadata.rpc.CommitOffsetsResponse;
import io.runnel.metadata.rpc.ControlledShutdownRequest;
import io.runnel.metadata.rpc.ControlledShutdownResponse;
import io.runnel.metadata.rpc.ControllerRequest;
import io.runnel.metadata.rpc.ControllerResponse;
import io.runnel.metadata.rpc.CreatePartitionsRequest;
import io.runnel.metadata.rpc.CreatePartitionsResponse;
import io.runnel.metadata.rpc.CreateTopicsRequest;
import io.runnel.metadata.rpc.CreateTopicsResponse;
import io.runnel.metadata.rpc.DeleteOffsetsRequest;
import io.runnel.metadata.rpc.DeleteOffsetsResponse;
import io.runnel.metadata.rpc.DeleteTopicsRequest;
import io.runnel.metadata.rpc.DeleteTopicsResponse;
import io.runnel.metadata.rpc.DescribeQuorumRequest;
import io.runnel.metadata.rpc.FetchMetadataRequest;
import io.runnel.metadata.rpc.FetchMetadataResponse;
import io.runnel.metadata.rpc.IncrementalAlterConfigsRequest;
import io.runnel.metadata.rpc.IncrementalAlterConfigsResponse;
import io.runnel.metadata.rpc.RaftVoterChangeResponse;
import io.runnel.metadata.rpc.RegisterBrokerRequest;
import io.runnel.metadata.rpc.RemoveRaftVoterRequest;
import io.runnel.metadata.rpc.RegisterBrokerResponse;
import io.runnel.metadata.rpc.TxnOffsetCommitRequest;
import io.runnel.metadata.rpc.WriteTransactionRequest;
import io.runnel.metadata.rpc.WriteTransactionResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * How brokers (and admin paths) reach the active controller, from any node, voter or not. Each call sends one
 * ControllerRequest (controller_api.proto) as a Ratis read-only message to the voters and completes with the typed
 * response once the active controller has applied the resulting metadata records.
 *
 * <p>Every call completes within its request timeout (default {@value #DEFAULT_REQUEST_TIMEOUT_MS} ms): on
 * NOT_CONTROLLER answers and transport failures it retries (following the leader hint, pausing {@code 100 ms}) until
 * the deadline, then fails with {@link ControllerApiException} carrying REQUEST_TIMED_OUT (7) or NOT_CONTROLLER (41)
 * and a message naming the last failure. A whole-request failure reported by the controller (e.g. the log rejected
 * the batch) also completes exceptionally with {@link ControllerApiException}; per-item errors (one topic, one
 * partition) are in the response. A single attempt waits at most a third of the call's timeout (at least 200 ms, at
 * most 5 s) before trying another voter, so a hung former leader does not hold a call (e.g. a heartbeat) for its whole
 * timeout. Thread-safe.
 */
public final class ControllerClient implements AutoCloseable {
    /** Default request timeout, Kafka's {@code request.timeout.ms}. */
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
    private static final long RETRY_PAUSE_MS = 100;
    private static final long MAX_ATTEMPT_MS = 5_000;
    private static final long MIN_ATTEMPT_MS = 200;

    private final ControllerPeers controllers;
    private final Duration timeout;
    private final AtomicInteger nextPeer = new AtomicInteger();
    private volatile RaftPeerId leaderGuess;
    private volatile boolean closed;

    /** A client of the quorum {@code group} with the default request timeout. */
    public ControllerClient(RaftGroup group) {
        this(group, Duration.ofMillis(DEFAULT_REQUEST_TIMEOUT_MS));
    }

    public ControllerClient(RaftGroup group, Duration requestTimeout) {
        this.timeout = requestTimeout;
        this.controllers = new ControllerPeers(group, Math.max(1, Math.min(requestTimeout.toMillis(),
                MAX_ATTEMPT_MS)));
    }

    /** A client of the cluster {@code clusterId} whose controllers are {@code voters}. */
    public static ControllerClient create(String clusterId, List<QuorumVoter> voters, Duration requestTimeout) {
        return new ControllerClient(QuorumNode.group(clusterId, voters), requestTimeout);
    }

    /** The request timeout of every call. */
    public Duration requestTimeout() {
        return timeout;
    }

    /** CreateTopics; {@code validateOnly} checks without creating. One result per topic, in request order. */
    public CompletableFuture<List<CreateTopicResult>> createTopics(List<CreatableTopic> topics,
                                                                   boolean validateOnly) {
        return createTopics(CreateTopicsMessages.toRequest(topics, validateOnly))
                .thenApply(CreateTopicsMessages::fromResponse);
    }

    public CompletableFuture<CreateTopicsResponse> createTopics(CreateTopicsRequest r) {
        return call(ControllerRequest.newBuilder().setCreateTopics(r).build(), ControllerResponse::getCreateTopics);
    }

    /** DeleteTopics by name. */
    public CompletableFuture<DeleteTopicsResponse> deleteTopics(List<String> names) {
        return deleteTopics(DeleteTopicsRequest.newBuilder().addAllNames(names).build());
    }

    public CompletableFuture<DeleteTopicsResponse> deleteTopics(DeleteTopicsRequest r) {
        return call(ControllerRequest.newBuilder().setDeleteTopics(r).build(), ControllerResponse::getDeleteTopics);
    }

    public CompletableFuture<CreatePartitionsResponse> createPartitions(CreatePartitionsRequest r) {
        return call(ControllerRequest.newBuilder().setCreatePartitions(r).build(),
                ControllerResponse::getCreatePartitions);
    }

    /** AlterPartitionReassignments (API key 45; KIP-455). */
    public CompletableFuture<AlterPartitionReassignmentsResponse> alterPartitionReassignments(
            AlterPartitionReassignmentsRequest r) {
        return call(ControllerRequest.newBuilder().setAlterPartitionReassignments(r).build(),
                ControllerResponse::getAlterPartitionReassignments);
    }

    public CompletableFuture<IncrementalAlterConfigsResponse> incrementalAlterConfigs(
            IncrementalAlterConfigsRequest r) {
        return call(ControllerRequest.newBuilder().setIncrementalAlterConfigs(r).build(),
                ControllerResponse::getIncrementalAlterConfigs);
    }

    public CompletableFuture<RegisterBrokerResponse> registerBroker(RegisterBrokerRequest r) {
        return call(ControllerRequest.newBuilder().setRegisterBroker(r).build(),
                ControllerResponse::getRegisterBroker);
    }

    public CompletableFuture<BrokerHeartbeatResponse> heartbeat(BrokerHeartbeatRequest r) {
        return heartbeat(r, timeout);
    }

    /** A heartbeat with its own timeout (brokers typically use one below {@code broker.session.timeout.ms}). */
    public CompletableFuture<BrokerHeartbeatResponse> heartbeat(BrokerHeartbeatRequest r, Duration requestTimeout) {
        return call(ControllerRequest.newBuilder().setBrokerHeartbeat(r).build(),
                ControllerResponse::getBrokerHeartbeat, requestTimeout);
    }

    public CompletableFuture<AlterPartitionResponse> alterPartition(AlterPartitionRequest r) {
        return call(ControllerRequest.newBuilder().setAlterPartition(r).build(),
                ControllerResponse::getAlterPartition);
    }

    /** AlterPartition bounded by {@code callTimeout} instead of the request timeout (safe to retry: epoch-checked). */
    public CompletableFuture<AlterPartitionResponse> alterPartition(AlterPartitionRequest r, Duration callTimeout) {
        return call(ControllerRequest.newBuilder().setAlterPartition(r).build(),
                ControllerResponse::getAlterPartition, callTimeout);
    }

    public CompletableFuture<AllocateProducerIdsResponse> allocateProducerIds(int brokerId, long brokerEpoch) {
        return call(ControllerRequest.newBuilder().setAllocateProducerIds(AllocateProducerIdsRequest.newBuilder()
                .setBrokerId(brokerId).setBrokerEpoch(brokerEpoch)).build(), ControllerResponse::getAllocateProducerIds);
    }

    /** Moves leadership away from the broker, removes it from ISRs and fences it; completes once committed. */
    public CompletableFuture<ControlledShutdownResponse> controlledShutdown(int brokerId, long brokerEpoch) {
        return call(ControllerRequest.newBuilder().setControlledShutdown(ControlledShutdownRequest.newBuilder()
                .setBrokerId(brokerId).setBrokerEpoch(brokerEpoch)).build(), ControllerResponse::getControlledShutdown);
    }

    /** UnregisterBroker (API key 64): removes a gone broker's registration; completes once committed. */
    public CompletableFuture<io.runnel.metadata.rpc.UnregisterBrokerResponse> unregisterBroker(int brokerId) {
        return call(ControllerRequest.newBuilder().setUnregisterBroker(io.runnel.metadata.rpc.UnregisterBrokerRequest
                .newBuilder().setBrokerId(brokerId)).build(), ControllerResponse::getUnregisterBroker);
    }

    public CompletableFuture<CommitOffsetsResponse> commitOffsets(CommitOffsetsRequest r) {
        return call(ControllerRequest.newBuilder().setCommitOffsets(r).build(), ControllerResponse::getCommitOffsets);
    }

    public CompletableFuture<DeleteOffsetsResponse> deleteOffsets(DeleteOffsetsRequest r) {
        return call(ControllerRequest.newBuilder().setDeleteOffsets(r).build(), ControllerResponse::getDeleteOffsets);
    }

    /**
     * Compare-and-set write of one transactional id's state (see controller_api.proto WriteTransactionRequest);
     * completes once the batch is applied. Errors in the response: CONCURRENT_TRANSACTIONS (51, with {@code current}
     * when the id exists), INVALID_REQUEST (42). A replay rejection completes exceptionally with {@link
     * ControllerApiException} (51 too). The client retries after NOT_CONTROLLER, and a write whose leader changed
     * may still have committed: a 51 whose {@code current} is the record sent (at {@code expected_version + 1})
     * means the write took effect.
     */
    public CompletableFuture<WriteTransactionResponse> writeTransaction(WriteTransactionRequest r) {
        return call(ControllerRequest.newBuilder().setWriteTransaction(r).build(),
                ControllerResponse::getWriteTransaction);
    }

    /**
     * TxnOffsetCommit (API key 28): pending offsets of an ongoing transaction; completes once applied. One result per
     * partition, in request order: 0, 24, 49 INVALID_PRODUCER_ID_MAPPING, 90 PRODUCER_FENCED, 47
     * INVALID_PRODUCER_EPOCH, 48 INVALID_TXN_STATE, 3, 12 or 42.
     */
    public CompletableFuture<CommitOffsetsResponse> txnOffsetCommit(TxnOffsetCommitRequest r) {
        return call(ControllerRequest.newBuilder().setTxnOffsetCommit(r).build(),
                ControllerResponse::getTxnOffsetCommit);
    }

    /** DescribeQuorum, answered by the Ratis leader. */
    public CompletableFuture<QuorumInfo> describeQuorum() {
        return call(ControllerRequest.newBuilder().setDescribeQuorum(DescribeQuorumRequest.getDefaultInstance())
                .build(), r -> QuorumInfo.fromProto(r.getDescribeQuorum()));
    }

    /**
     * FetchMetadata: the committed metadata entries after {@code request.fetch_offset}, or a snapshot (see
     * controller_api.proto), answered by the active controller after at most its long-poll wait. {@code
     * callTimeout} bounds the whole call, retries included; it should exceed the request's {@code max_wait_ms}.
     */
    public CompletableFuture<FetchMetadataResponse> fetchMetadata(FetchMetadataRequest request, Duration callTimeout) {
        return call(ControllerRequest.newBuilder().setFetchMetadata(request).build(),
                ControllerResponse::getFetchMetadata, callTimeout);
    }

    /**
     * AddRaftVoter (KIP-853): makes the running controller {@code voterId}, listening at {@code host:port}, a voter.
     * Answers with 0, DUPLICATE_VOTER (126), INVALID_REQUEST (42) or REQUEST_TIMED_OUT (7) in the response; one
     * attempt may take the whole {@code callTimeout} (Ratis catches the new voter up first).
     */
    public CompletableFuture<RaftVoterChangeResponse> addRaftVoter(int voterId, String host, int port,
                                                                   Duration callTimeout) {
        return sendLong(ControllerRequest.newBuilder().setAddRaftVoter(AddRaftVoterRequest.newBuilder()
                .setVoterId(voterId).setHost(host).setPort(port).setTimeoutMs((int) Math.min(Integer.MAX_VALUE,
                        Math.max(1, callTimeout.toMillis() - RETRY_PAUSE_MS)))).build(), callTimeout)
                .thenApply(ControllerResponse::getAddRaftVoter);
    }

    /**
     * RemoveRaftVoter (KIP-853): {@code voterId} stops being a voter. Answers with 0, VOTER_NOT_FOUND (127),
     * INVALID_REQUEST (42: the last voter, or no live majority would remain) or REQUEST_TIMED_OUT (7).
     */
    public CompletableFuture<RaftVoterChangeResponse> removeRaftVoter(int voterId, Duration callTimeout) {
        return sendLong(ControllerRequest.newBuilder().setRemoveRaftVoter(RemoveRaftVoterRequest.newBuilder()
                .setVoterId(voterId)).build(), callTimeout).thenApply(ControllerResponse::getRemoveRaftVoter);
    }

    /** A call whose single attempt may last the whole timeout (quorum changes): a client of its own. */
    private CompletableFuture<ControllerResponse> sendLong(ControllerRequest req, Duration callTimeout) {
        Call call = new Call(Message.valueOf(UnsafeByteOperations.unsafeWrap(req.toByteArray())),
                System.nanoTime() + callTimeout.toNanos(), callTimeout, controllers.longCalls(),
                callTimeout.toMillis());
        CompletableFuture.delayedExecutor(callTimeout.toMillis(), TimeUnit.MILLISECONDS).execute(call::expire);
        call.attempt(leaderGuess);
        return call.result;
    }

    private <T> CompletableFuture<T> call(ControllerRequest req, Function<ControllerResponse, T> payload) {
        return call(req, payload, timeout);
    }

    private <T> CompletableFuture<T> call(ControllerRequest req, Function<ControllerResponse, T> payload,
                                          Duration requestTimeout) {
        return send(req, requestTimeout).thenApply(payload);
    }

    /**
     * Sends a request and completes with the controller's response, or exceptionally with {@link
     * ControllerApiException} for a whole-request failure or when no controller answered within the timeout.
     */
    public CompletableFuture<ControllerResponse> send(ControllerRequest req, Duration requestTimeout) {
        Call c = new Call(Message.valueOf(UnsafeByteOperations.unsafeWrap(req.toByteArray())),
                System.nanoTime() + requestTimeout.toNanos(), requestTimeout, controllers.raft(),
                Math.max(MIN_ATTEMPT_MS, Math.min(MAX_ATTEMPT_MS, requestTimeout.toMillis() / 3)));
        CompletableFuture.delayedExecutor(requestTimeout.toMillis(), TimeUnit.MILLISECONDS).execute(c::expire);
        c.attempt(leaderGuess);
        return c.result;
    }

    /** One call's retries until success, a final answer or the deadline. */
    private final class Call {
        final CompletableFuture<ControllerResponse> result = new CompletableFuture<>();
        final Message message;
        final long deadlineNs;
        final Duration requestTimeout;
        final long attemptLimitMs;
        final RaftClient raft;
        volatile String lastFailure = "no attempt finished";

        Call(Message message, long deadlineNs, Duration requestTimeout, RaftClient raft, long attemptLimitMs) {
            this.message = message;
            this.deadlineNs = deadlineNs;
            this.requestTimeout = requestTimeout;
            this.raft = raft;
            this.attemptLimitMs = attemptLimitMs;
        }

        void expire() {
            result.completeExceptionally(new ControllerApiException(ErrorCode.REQUEST_TIMED_OUT, "No active "
                    + "controller answered within " + requestTimeout.toMillis() + " ms (last failure: "
                    + lastFailure + ")"));
        }

        void attempt(RaftPeerId target) {
            if (result.isDone()) {
                return;
            }
            if (closed) { // no retries after close: they could only fail, until the deadline
                result.completeExceptionally(new ControllerApiException(ErrorCode.NOT_CONTROLLER,
                        "The controller client is closed (last failure: " + lastFailure + ")"));
                return;
            }
            List<RaftPeerId> ids = controllers.ids();
            RaftPeerId to = target != null ? target : ids.get(Math.floorMod(nextPeer.getAndIncrement(),
                    ids.size()));
            CompletableFuture<org.apache.ratis.protocol.RaftClientReply> f;
            try {
                // the attempt gets a share of the call's time, so a hung (e.g. SIGSTOPped) former leader costs one
                // share and the next attempt tries another voter: a 1 s heartbeat must still reach the new leader
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
                f = raft.async().sendReadOnlyUnordered(message, to).copy()
                        .orTimeout(Math.max(1, Math.min(leftMs, attemptLimitMs)), TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((reply, err) -> {
                if (err != null || reply == null || !reply.isSuccess()) {
                    Throwable cause = err != null ? err : reply == null ? null : reply.getException();
                    if (err != null && !(unwrap(err) instanceof java.util.concurrent.TimeoutException)) {
                        // With the noRetry policy Ratis never resets a failed connection itself: a peer that was
                        // down once would stay unreachable ("is closed") for this client's lifetime. An attempt that
                        // only ran out of its time share keeps the connection: resetting it would fail every other
                        // call in flight to a slow but healthy leader.
                        raft.getClientRpc().handleException(to, err, true);
                    }
                    leaderGuess = null;
                    retry(null, "node " + to + " did not answer: " + cause);
                    return;
                }
                ControllerResponse r;
                try {
                    r = ControllerResponse.parseFrom(reply.getMessage().getContent().toByteArray());
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    result.completeExceptionally(new ControllerApiException(ErrorCode.UNKNOWN_SERVER_ERROR,
                            "Undecodable controller response: " + e.getMessage()));
                    return;
                }
                if (r.getErrorCode() == ErrorCode.NOT_CONTROLLER.code()) {
                    leaderGuess = null;
                    if (r.getLeaderHint() >= 0) {
                        controllers.learn(r.getLeaderHint(), r.getLeaderAddress());
                    }
                    RaftPeerId hinted = r.getLeaderHint() >= 0 ? QuorumNode.peerId(r.getLeaderHint()) : null;
                    retry(hinted != null && controllers.knows(hinted) ? hinted : null, r.getErrorMessage());
                    return;
                }
                leaderGuess = to;
                if (r.getErrorCode() != 0) {
                    result.completeExceptionally(new ControllerApiException(new ApiError(
                            ErrorCode.forCode(r.getErrorCode()), r.getErrorMessage())));
                } else {
                    result.complete(r);
                }
            });
        }

        private Throwable unwrap(Throwable t) {
            return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        }

        private void retry(RaftPeerId target, String failure) {
            lastFailure = failure;
            long left = deadlineNs - System.nanoTime();
            if (left <= TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MS)) {
                result.completeExceptionally(new ControllerApiException(ErrorCode.NOT_CONTROLLER, "No active "
                        + "controller within " + requestTimeout.toMillis() + " ms: " + failure));
                return;
            }
            CompletableFuture.delayedExecutor(RETRY_PAUSE_MS, TimeUnit.MILLISECONDS).execute(() -> attempt(target));
        }
    }

    /** Closes the connections; calls still retrying then fail with NOT_CONTROLLER instead of retrying. */
    @Override
    public void close() throws IOException {
        closed = true;
        controllers.close();
    }
}
