package io.runnel.broker.metadata;

import io.runnel.metadata.image.MetadataImage;

import java.util.Objects;

/**
 * The broker's current {@link MetadataView}, replaced atomically when a newer image arrives. Handlers call
 * {@link #current()} once per request and answer from that view. Thread-safe.
 */
public final class MetadataCache {
    private final int localBrokerId;
    private volatile MetadataView current;

    /** Starts from the empty image of {@code clusterId} (no brokers, no topics). */
    public MetadataCache(int localBrokerId, String clusterId) {
        this.localBrokerId = localBrokerId;
        this.current = new MetadataView(MetadataImage.empty(clusterId), localBrokerId);
    }

    /** The view of the latest image. */
    public MetadataView current() {
        return current;
    }

    /** This broker's id. */
    public int localBrokerId() {
        return localBrokerId;
    }

    /**
     * Publishes {@code image}. An image older than the current one (by provenance) is ignored, so that views never go
     * back in time.
     *
     * @return true if the image was published
     */
    public synchronized boolean update(MetadataImage image) {
        Objects.requireNonNull(image, "image");
        if (image.provenance().compareTo(current.image().provenance()) < 0) {
            return false;
        }
        current = new MetadataView(image, localBrokerId);
        return true;
    }
}
