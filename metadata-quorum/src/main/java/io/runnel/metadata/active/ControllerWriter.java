package io.runnel.metadata.active;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ControllerApiException;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.record.MetadataApplyReply;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.MetadataRecordBatch;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Writes record batches through the local Ratis server, as a client request addressed to itself: the entry is
 * appended only while this member is the leader (a member that lost leadership gets NotLeaderException and never
 * forwards records computed from its own image to another leader). {@link #write} blocks until the entry is applied
 * here or the write timeout passes.
 */
final class ControllerWriter {
    private final RaftServer server;
    private final RaftGroupId groupId;
    private final long timeoutMs;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();

    ControllerWriter(RaftServer server, RaftGroupId groupId, long timeoutMs) {
        this.server = server;
        this.groupId = groupId;
        this.timeoutMs = timeoutMs;
    }

    /**
     * Appends one batch (one Ratis entry) and waits for it to be applied. Throws {@link ControllerApiException}:
     * NOT_CONTROLLER when this member is not (or no longer) the leader, REQUEST_TIMED_OUT when the entry did not
     * commit within the write timeout (its fate is then unknown: it may still commit), or the replay error when the
     * log rejected the batch.
     *
     * @return the applied entry's reply (its term and index)
     */
    MetadataApplyReply write(List<MetadataRecord> records) {
        MetadataRecordBatch batch = MetadataRecordBatch.newBuilder().addAllRecords(records).build();
        RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(clientId).setServerId(server.getId())
                .setGroupId(groupId).setCallId(callIds.incrementAndGet())
                .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(batch.toByteArray())))
                .setType(RaftClientRequest.writeRequestType()).build();
        RaftClientReply reply;
        try {
            reply = server.submitClientRequestAsync(request).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ControllerApiException(ErrorCode.REQUEST_TIMED_OUT, "The metadata write was not committed "
                    + "within " + timeoutMs + " ms: no quorum of controllers is reachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControllerApiException(ErrorCode.NOT_CONTROLLER, "The controller is shutting down");
        } catch (ExecutionException | IOException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new ControllerApiException(ErrorCode.NOT_CONTROLLER, "This controller could not write: " + cause);
        }
        if (!reply.isSuccess()) {
            RaftException ex = reply.getException();
            throw new ControllerApiException(ErrorCode.NOT_CONTROLLER, "This controller could not write: "
                    + (ex == null ? reply : ex.getMessage()));
        }
        MetadataApplyReply applied;
        try {
            applied = MetadataApplyReply.parseFrom(reply.getMessage().getContent().toByteArray());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new ControllerApiException(ErrorCode.UNKNOWN_SERVER_ERROR, "Undecodable apply reply: " + e);
        }
        if (applied.getErrorCode() != 0) {
            throw new ControllerApiException(new ApiError(ErrorCode.forCode(applied.getErrorCode()),
                    "The metadata log rejected the change: " + applied.getErrorMessage()));
        }
        return applied;
    }
}
