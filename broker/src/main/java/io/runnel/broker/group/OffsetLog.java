package io.runnel.broker.group;

import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.rpc.CommitOffsetsRequest;
import io.runnel.metadata.rpc.CommitOffsetsResponse;
import io.runnel.metadata.rpc.DeleteOffsetsRequest;
import io.runnel.metadata.rpc.DeleteOffsetsResponse;

import java.util.concurrent.CompletableFuture;

/**
 * Where committed offsets are written: the metadata log, through the active controller (DESIGN.md section 7). Each
 * call is one Ratis entry, applied atomically; per-partition errors are Kafka codes in the response, and a whole
 * call that fails (no controller within the request timeout) completes exceptionally.
 */
public interface OffsetLog {
    /** Writes one OffsetCommit's offsets as one batch of OffsetCommit records. */
    CompletableFuture<CommitOffsetsResponse> commit(CommitOffsetsRequest request);

    /** Deletes offsets of some partitions, or with {@code delete_group} every offset of the group. */
    CompletableFuture<DeleteOffsetsResponse> delete(DeleteOffsetsRequest request);

    /** The metadata log reached through {@code controller} (which the caller owns and closes). */
    static OffsetLog of(ControllerClient controller) {
        return new OffsetLog() {
            @Override
            public CompletableFuture<CommitOffsetsResponse> commit(CommitOffsetsRequest request) {
                return controller.commitOffsets(request);
            }

            @Override
            public CompletableFuture<DeleteOffsetsResponse> delete(DeleteOffsetsRequest request) {
                return controller.deleteOffsets(request);
            }
        };
    }
}
