package io.runnel.metadata.quorum;

import io.runnel.metadata.image.LocalReplicaChanges;
import io.runnel.metadata.image.MetadataImage;

/**
 * Told of each new image together with what it changed for one node ({@link LocalReplicaChanges}), on the state
 * machine's apply thread: quick and non-blocking, as {@link MetadataListener}. Install with {@link
 * MetadataListener#forLocalChanges(int, LocalChangesListener)}. Called for every new image, also when nothing changed
 * for the node (the image itself may matter: brokers, configs, offsets).
 */
@FunctionalInterface
public interface LocalChangesListener {
    void onChanges(MetadataImage next, LocalReplicaChanges changes);
}
