package io.runnel.metadata.quorum;

import io.runnel.metadata.image.MetadataImage;

/**
 * Where a node's metadata images come from: the local voter's {@link MetadataStateMachine} on a controller (and a
 * combined node), or a {@link io.runnel.metadata.fetch.MetadataFollower} fetching from the controllers on a
 * broker-only node. Either way the images are produced by the same replay code ({@code MetadataDelta}) and listeners
 * are told of each one in log order, on the source's single publishing thread.
 */
public interface MetadataSource {
    /** The newest image. */
    MetadataImage image();

    /**
     * The index of the last metadata log entry this node has accounted for (-1 before any): every entry up to it is
     * reflected in {@link #image()} and was handed to the listeners. At least {@code image().provenance().index()};
     * larger when later entries changed nothing (Ratis configuration and no-op entries). What heartbeats report as
     * {@code current_metadata_offset} (KIP-631).
     */
    long appliedOffset();

    void addListener(MetadataListener listener);

    void removeListener(MetadataListener listener);
}
