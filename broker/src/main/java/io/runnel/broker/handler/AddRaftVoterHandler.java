package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.errors.ApiError;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AddRaftVoterRequestData;
import org.apache.kafka.common.message.AddRaftVoterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AddRaftVoter (key 80, v0; KIP-853), forwarded to the active controller, which makes a running controller a voter of
 * the Ratis metadata quorum ({@code metadata-quorum add-controller}). The new voter's address is its listener named
 * like this broker's controller listener (the first of {@code controller.listener.names}), or its only listener.
 *
 * <p>Errors: INCONSISTENT_CLUSTER_ID (104) for another cluster's id; INVALID_REQUEST (42) for a non-zero directory id
 * (Runnel has no KIP-853 directory ids: DescribeQuorum reports the zero id), a missing listener, removing the
 * quorum's live majority; DUPLICATE_VOTER (126); REQUEST_TIMED_OUT (7) while another change is in progress or when
 * the change did not finish within {@code TimeoutMs} (the controller client's request timeout when 0); NOT_CONTROLLER
 * (41) when no controller answered. Answered once the new configuration is committed.
 */
public final class AddRaftVoterHandler implements ApiHandler {
    private final ControllerClient controller;
    private final String clusterId;
    private final String controllerListener;

    /**
     * @param clusterId          this cluster's id, checked against the request's
     * @param controllerListener the first of {@code controller.listener.names}
     */
    public AddRaftVoterHandler(ControllerClient controller, String clusterId, String controllerListener) {
        this.controller = controller;
        this.clusterId = clusterId;
        this.controllerListener = Objects.requireNonNull(controllerListener, "controllerListener");
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_RAFT_VOTER;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        AddRaftVoterRequestData data = (AddRaftVoterRequestData) request.body();
        String asked = data.clusterId();
        if (asked != null && !asked.isEmpty() && clusterId != null && !asked.equals(clusterId)) {
            return done(Errors.INCONSISTENT_CLUSTER_ID, "Cluster id " + data.clusterId() + " is not this cluster's ("
                    + clusterId + ")");
        }
        if (!Uuid.ZERO_UUID.equals(data.voterDirectoryId())) {
            return done(Errors.INVALID_REQUEST, "Runnel's controllers have no directory ids (KIP-853): give "
                    + Uuid.ZERO_UUID + " as DescribeQuorum reports, not " + data.voterDirectoryId());
        }
        AddRaftVoterRequestData.Listener chosen = data.listeners().find(controllerListener);
        if (chosen == null && data.listeners().size() == 1) {
            chosen = data.listeners().iterator().next();
        }
        if (chosen == null) {
            return done(Errors.INVALID_REQUEST, "AddRaftVoter for node " + data.voterId() + " names no "
                    + controllerListener + " listener (got " + data.listeners().size() + " listeners)");
        }
        Duration timeout = data.timeoutMs() > 0 ? Duration.ofMillis(data.timeoutMs())
                : controller.requestTimeout();
        CompletableFuture<ApiResponse> out;
        try {
            out = controller.addRaftVoter(data.voterId(), chosen.host(), chosen.port(), timeout)
                    .handle((r, e) -> e != null ? failed(e) : ApiResponse.send(new AddRaftVoterResponseData()
                            .setErrorCode((short) r.getErrorCode())
                            .setErrorMessage(ControllerErrors.message(r.getErrorMessage()))));
        } catch (RuntimeException e) {
            out = CompletableFuture.completedFuture(failed(e));
        }
        return out;
    }

    private static ApiResponse failed(Throwable e) {
        ApiError error = ControllerErrors.whole(e);
        return ApiResponse.send(new AddRaftVoterResponseData().setErrorCode(ControllerErrors.of(error.error()).code())
                .setErrorMessage(error.message()));
    }

    private static CompletableFuture<ApiResponse> done(Errors error, String message) {
        return CompletableFuture.completedFuture(ApiResponse.send(new AddRaftVoterResponseData()
                .setErrorCode(error.code()).setErrorMessage(message)));
    }
}
