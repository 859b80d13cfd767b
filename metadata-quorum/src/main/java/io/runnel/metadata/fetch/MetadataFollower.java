package io.runnel.metadata.fetch;

import com.google.protobuf.InvalidProtocolBufferException;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.image.ImageCodec;
import io.runnel.metadata.image.MetadataDelta;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.MetadataProvenance;
import io.runnel.metadata.quorum.MetadataListener;
import io.runnel.metadata.quorum.MetadataSource;
import io.runnel.metadata.record.MetadataRecordBatch;
import io.runnel.metadata.rpc.FetchMetadataRequest;
import io.runnel.metadata.rpc.FetchMetadataResponse;
import io.runnel.metadata.rpc.MetadataEntry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a broker-only node follows the metadata log (KRaft's brokers are observers that fetch, KIP-595/KIP-631): one
 * thread long-polls the active controller with FetchMetadata ({@link ControllerClient#fetchMetadata}) for the
 * committed entries after its {@link #appliedOffset()}, and replays them with the same {@link MetadataDelta} code the
 * controllers' state machine runs; a broker with nothing yet, or further behind than the controller's window, gets the
 * controller's image as a snapshot ({@link ImageCodec}) first. Each new image goes to the listeners, in log order, on
 * that thread, before the applied offset moves (so a heartbeat never reports an offset the broker does not serve).
 *
 * <p>Failures never stop the loop: an unreachable quorum is retried (the client's own retries, then a pause of
 * {@value #RETRY_PAUSE_MS} ms); an entry that does not replay (which would mean a divergence) is logged and the next
 * fetch asks for a snapshot. The image lives in memory only: a restarted broker starts from a snapshot.
 */
public final class MetadataFollower implements MetadataSource, AutoCloseable {
    /** How long one fetch may wait at the controller for news, ms (KRaft's fetch max wait). */
    public static final int DEFAULT_MAX_WAIT_MS = 500;
    /** Batch bytes asked for per fetch. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;
    private static final long RETRY_PAUSE_MS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(MetadataFollower.class);

    private final int nodeId;
    private final String clusterId;
    private final ControllerClient controller;
    private final int maxWaitMs;
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile MetadataImage image;
    private volatile long appliedOffset = -1;
    private volatile boolean closed;

    private MetadataFollower(int nodeId, String clusterId, ControllerClient controller, int maxWaitMs,
                             MetadataImage initial, long appliedOffset) {
        this.nodeId = nodeId;
        this.clusterId = clusterId;
        this.controller = controller;
        this.maxWaitMs = maxWaitMs;
        this.image = initial;
        this.appliedOffset = appliedOffset;
        this.thread = new Thread(this::run, "runnel-metadata-follower-" + nodeId);
        this.thread.setDaemon(true);
    }

    /**
     * Starts following with the default long poll ({@value #DEFAULT_MAX_WAIT_MS} ms). Listeners added right after
     * see every image: the first fetch takes at least one round trip.
     *
     * @param nodeId     this broker's node id, reported to the controller (DescribeQuorum lists it as an observer)
     * @param clusterId  the cluster's id; a snapshot of another cluster is refused
     * @param controller a client of the quorum; owned by the caller, who closes it after this follower
     */
    public static MetadataFollower start(int nodeId, String clusterId, ControllerClient controller) {
        return start(nodeId, clusterId, controller, DEFAULT_MAX_WAIT_MS);
    }

    /**
     * As {@link #start(int, String, ControllerClient)} with another long poll bound (ms), at most half the client's
     * request timeout.
     */
    public static MetadataFollower start(int nodeId, String clusterId, ControllerClient controller, int maxWaitMs) {
        return start(nodeId, clusterId, controller, maxWaitMs, MetadataImage.empty(clusterId), -1);
    }

    /**
     * Continues where another source of the same cluster's log stopped (a combined node whose quorum member closed):
     * the first fetch asks for the entries after {@code appliedOffset}, which are replayed onto {@code initial}.
     *
     * @param initial       the image up to {@code appliedOffset}; of cluster {@code clusterId}
     * @param appliedOffset the last metadata log index reflected in {@code initial} (at least its provenance index)
     */
    public static MetadataFollower startFrom(int nodeId, String clusterId, ControllerClient controller,
                                             MetadataImage initial, long appliedOffset) {
        if (!initial.clusterId().equals(clusterId) || appliedOffset < initial.provenance().index()) {
            throw new IllegalArgumentException("image of cluster " + initial.clusterId() + " at "
                    + initial.provenance() + " cannot start a follower of cluster " + clusterId + " at offset "
                    + appliedOffset);
        }
        return start(nodeId, clusterId, controller, DEFAULT_MAX_WAIT_MS, initial, appliedOffset);
    }

    private static MetadataFollower start(int nodeId, String clusterId, ControllerClient controller, int maxWaitMs,
                                          MetadataImage initial, long appliedOffset) {
        int wait = (int) Math.max(0, Math.min(maxWaitMs, controller.requestTimeout().toMillis() / 2));
        MetadataFollower f = new MetadataFollower(nodeId, clusterId, controller, wait, initial, appliedOffset);
        f.thread.start();
        return f;
    }

    @Override
    public MetadataImage image() {
        return image;
    }

    @Override
    public long appliedOffset() {
        return appliedOffset;
    }

    @Override
    public void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(MetadataListener listener) {
        listeners.remove(listener);
    }

    private void run() {
        boolean failing = false;
        Duration callTimeout = controller.requestTimeout().plusMillis(maxWaitMs);
        while (!closed) {
            FetchMetadataResponse response;
            try {
                response = controller.fetchMetadata(FetchMetadataRequest.newBuilder().setReplicaId(nodeId)
                                .setFetchOffset(appliedOffset).setMaxWaitMs(maxWaitMs).setMaxBytes(DEFAULT_MAX_BYTES)
                                .build(), callTimeout)
                        .get(callTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                if (closed) {
                    break;
                }
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (!failing) {
                    LOG.warn("Broker {} cannot fetch metadata from the controllers (will retry): {}", nodeId,
                            cause.getMessage());
                    failing = true;
                } else {
                    LOG.debug("Broker {} metadata fetch failed again: {}", nodeId, cause.getMessage());
                }
                if (!pause()) {
                    break;
                }
                continue;
            }
            if (failing) {
                LOG.info("Broker {} fetches metadata again (offset {})", nodeId, appliedOffset);
                failing = false;
            }
            try {
                apply(response);
            } catch (InvalidProtocolBufferException | RuntimeException e) { // a replay error, a foreign cluster
                LOG.error("Broker {} could not replay fetched metadata after offset {}; asking for a snapshot",
                        nodeId, appliedOffset, e);
                appliedOffset = -1;
                if (!pause()) {
                    break;
                }
            }
        }
    }

    /** Replays one response: the snapshot if any, then every entry; the offset moves last. */
    private void apply(FetchMetadataResponse r) throws InvalidProtocolBufferException {
        MetadataImage current = image;
        long offset = appliedOffset;
        if (r.hasSnapshot()) {
            MetadataImage loaded = ImageCodec.fromSnapshot(r.getSnapshot());
            if (!loaded.clusterId().equals(clusterId)) {
                throw new IllegalStateException("the controllers sent a snapshot of cluster " + loaded.clusterId()
                        + ", this broker belongs to cluster " + clusterId);
            }
            publish(current, loaded);
            current = loaded;
            offset = loaded.provenance().index();
            LOG.info("Broker {} loaded the metadata image at offset {} from a snapshot", nodeId, r.getLastOffset());
        }
        for (MetadataEntry e : r.getEntriesList()) {
            if (e.getIndex() <= offset) {
                continue; // already reflected
            }
            MetadataDelta delta = new MetadataDelta(current);
            delta.replayEntry(MetadataRecordBatch.parseFrom(e.getBatch()), e.getIndex());
            MetadataImage next = delta.apply(new MetadataProvenance(e.getTerm(), e.getIndex()));
            publish(current, next);
            current = next;
            offset = e.getIndex();
        }
        appliedOffset = Math.max(offset, r.getLastOffset());
    }

    private void publish(MetadataImage previous, MetadataImage next) {
        image = next;
        for (MetadataListener l : listeners) {
            try {
                l.onImage(previous, next);
            } catch (RuntimeException e) {
                LOG.warn("Metadata listener {} failed on {}", l, next.provenance(), e);
            }
        }
    }

    private boolean pause() {
        try {
            Thread.sleep(RETRY_PAUSE_MS);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Stops fetching (bounded wait for the thread); idempotent. The image stays readable. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
