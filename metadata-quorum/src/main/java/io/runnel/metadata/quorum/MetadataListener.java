package io.runnel.metadata.quorum;

import io.runnel.metadata.image.LocalReplicaChanges;
import io.runnel.metadata.image.MetadataImage;

/**
 * Told of every new metadata image, in log order, on the state machine's apply thread: implementations must be quick
 * and must not block (hand work to another thread). Also called after a snapshot was loaded (previous may then be
 * unrelated to next). Exceptions are logged and otherwise ignored.
 */
@FunctionalInterface
public interface MetadataListener {
    void onImage(MetadataImage previous, MetadataImage next);

    /** A listener computing, for node {@code nodeId}, what each new image changed ({@link LocalReplicaChanges}). */
    static MetadataListener forLocalChanges(int nodeId, LocalChangesListener listener) {
        return (previous, next) -> listener.onChanges(next, LocalReplicaChanges.compute(previous, next, nodeId));
    }
}
