package io.runnel.broker.node;

import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.fetch.MetadataFollower;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.quorum.MetadataListener;
import io.runnel.metadata.quorum.MetadataSource;
import io.runnel.metadata.quorum.MetadataStateMachine;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a combined node's broker gets its images: from the node's own metadata quorum member (its
 * {@link MetadataStateMachine}) while that member runs, and, once the member is lost while the node runs (Ratis closed
 * its division, see {@code QuorumNode#memberLost()}), from a {@link MetadataFollower} that fetches the log from the
 * active controller, as a broker-only node does, continuing after the last entry the member applied. Without this a
 * broker whose quorum member was removed from the voters while it could not hear the leader would serve a frozen
 * image for as long as it runs: stale leaders, no new topics, a reassignment that never completes.
 *
 * <p>Listeners see one stream of images in log order across the switch. Thread-safe.
 */
final class CombinedMetadataSource implements MetadataSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CombinedMetadataSource.class);

    private final int nodeId;
    private final String clusterId;
    private final MetadataStateMachine member;
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private final MetadataListener forward = (previous, next) -> {
        for (MetadataListener l : listeners) {
            try {
                l.onImage(previous, next);
            } catch (RuntimeException e) {
                LOG.warn("Metadata listener {} failed on {}", l, next.provenance(), e);
            }
        }
    };
    private volatile MetadataSource current;
    private MetadataFollower follower;
    private boolean closed;

    CombinedMetadataSource(int nodeId, String clusterId, MetadataStateMachine member) {
        this.nodeId = nodeId;
        this.clusterId = clusterId;
        this.member = member;
        this.current = member;
        member.addListener(forward);
    }

    /**
     * Switches to fetching from the active controller through {@code controller}, from the member's last image and
     * applied offset; the member must be closed (it publishes nothing more). Idempotent; does nothing once closed.
     */
    synchronized void followControllers(ControllerClient controller) {
        if (closed || follower != null) {
            return;
        }
        member.removeListener(forward);
        MetadataImage last = member.image();
        long applied = member.appliedOffset();
        follower = MetadataFollower.startFrom(nodeId, clusterId, controller, last, applied);
        follower.addListener(forward);
        current = follower;
        LOG.warn("Broker {} lost its local metadata quorum member at offset {}: it now fetches the metadata log from"
                + " the active controller, as a broker-only node does. Restart node {} to make it a controller"
                + " again.", nodeId, applied, nodeId);
    }

    /** Whether the images now come from the controllers instead of the local quorum member. */
    boolean followsControllers() {
        return current != member;
    }

    @Override
    public MetadataImage image() {
        return current.image();
    }

    @Override
    public long appliedOffset() {
        return current.appliedOffset();
    }

    @Override
    public void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(MetadataListener listener) {
        listeners.remove(listener);
    }

    /** Stops the follower, if any; the member is closed by its node. */
    @Override
    public synchronized void close() {
        closed = true;
        member.removeListener(forward);
        if (follower != null) {
            follower.close();
        }
    }
}
