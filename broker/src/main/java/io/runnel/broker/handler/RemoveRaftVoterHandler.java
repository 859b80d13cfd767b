package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.errors.ApiError;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.RemoveRaftVoterRequestData;
import org.apache.kafka.common.message.RemoveRaftVoterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * RemoveRaftVoter (key 81, v0; KIP-853), forwarded to the active controller, which removes one voter from the Ratis
 * metadata quorum ({@code metadata-quorum remove-controller}); answered once the new configuration is committed.
 *
 * <p>Errors: INCONSISTENT_CLUSTER_ID (104); VOTER_NOT_FOUND (127) for an id that is not a voter, or a non-zero
 * directory id (Runnel's voters all have the zero directory id, as DescribeQuorum reports); INVALID_REQUEST (42) for
 * the last voter, or when the remaining live voters would not be a majority of the remaining voters;
 * REQUEST_TIMED_OUT (7) while another change is in progress or when this one did not finish within the controller
 * client's request timeout; NOT_CONTROLLER (41) when no controller answered.
 */
public final class RemoveRaftVoterHandler implements ApiHandler {
    private final ControllerClient controller;
    private final String clusterId;

    /** @param clusterId this cluster's id, checked against the request's */
    public RemoveRaftVoterHandler(ControllerClient controller, String clusterId) {
        this.controller = controller;
        this.clusterId = clusterId;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.REMOVE_RAFT_VOTER;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        RemoveRaftVoterRequestData data = (RemoveRaftVoterRequestData) request.body();
        String asked = data.clusterId();
        if (asked != null && !asked.isEmpty() && clusterId != null && !asked.equals(clusterId)) {
            return done(Errors.INCONSISTENT_CLUSTER_ID, "Cluster id " + data.clusterId() + " is not this cluster's ("
                    + clusterId + ")");
        }
        if (!Uuid.ZERO_UUID.equals(data.voterDirectoryId())) {
            return done(Errors.VOTER_NOT_FOUND, "No voter has directory id " + data.voterDirectoryId()
                    + ": Runnel's controllers have no directory ids (KIP-853), DescribeQuorum reports " + Uuid.ZERO_UUID);
        }
        CompletableFuture<ApiResponse> out;
        try {
            out = controller.removeRaftVoter(data.voterId(), controller.requestTimeout())
                    .handle((r, e) -> e != null ? failed(e) : ApiResponse.send(new RemoveRaftVoterResponseData()
                            .setErrorCode((short) r.getErrorCode())
                            .setErrorMessage(ControllerErrors.message(r.getErrorMessage()))));
        } catch (RuntimeException e) {
            out = CompletableFuture.completedFuture(failed(e));
        }
        return out;
    }

    private static ApiResponse failed(Throwable e) {
        ApiError error = ControllerErrors.whole(e);
        return ApiResponse.send(new RemoveRaftVoterResponseData()
                .setErrorCode(ControllerErrors.of(error.error()).code()).setErrorMessage(error.message()));
    }

    private static CompletableFuture<ApiResponse> done(Errors error, String message) {
        return CompletableFuture.completedFuture(ApiResponse.send(new RemoveRaftVoterResponseData()
                .setErrorCode(error.code()).setErrorMessage(message)));
    }
}
