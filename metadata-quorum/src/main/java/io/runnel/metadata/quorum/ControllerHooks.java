package io.runnel.metadata.quorum;

import java.util.concurrent.CompletableFuture;

/**
 * What the {@link MetadataStateMachine} hands to the active-controller logic: Ratis leadership events and the
 * controller requests that arrive as read-only messages. Implementations must not block the calling (Ratis) thread.
 */
public interface ControllerHooks {
    /** This member became the Ratis leader and has applied every entry of earlier terms. */
    void onLeaderReady();

    /** This member is no longer the leader (another was elected, it stepped down, or it is closing). */
    void onLeadershipLost();

    /** Answers one serialized ControllerRequest with a serialized ControllerResponse; never completes exceptionally. */
    CompletableFuture<byte[]> handle(byte[] request);
}
