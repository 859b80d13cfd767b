package io.runnel.metadata.quorum;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.errors.MetadataReplayException;
import io.runnel.metadata.fetch.RecentEntries;
import io.runnel.metadata.image.ImageSnapshot;
import io.runnel.metadata.image.MetadataDelta;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.MetadataProvenance;
import io.runnel.metadata.record.MetadataApplyReply;
import io.runnel.metadata.record.MetadataRecordBatch;
import io.runnel.metadata.rpc.ControllerResponse;
import java.io.File;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of the metadata log: each log entry is one {@link MetadataRecordBatch}, replayed atomically
 * through a {@link MetadataDelta} into the next immutable {@link MetadataImage}. The same code runs on every member.
 *
 * <ul>
 *   <li>{@link #applyTransaction} never throws (Ratis would close the server): an undecodable batch or one with an
 *       invalid record leaves the image unchanged and the reply ({@link MetadataApplyReply}) carries the Kafka error
 *       code; valid batches reply error code 0 with the entry's term and index.</li>
 *   <li>{@link #takeSnapshot} writes the current image with {@link ImageSnapshot} as {@code snapshot.<term>_<index>}
 *       in the state machine directory, plus Ratis' {@code .md5} file so Ratis can ship it to lagging followers.
 *       The snapshot index is the image's provenance: the last entry that changed the image.</li>
 *   <li>{@link #initialize}/{@link #reinitialize} load the newest snapshot; a corrupt one fails the start with a
 *       {@link io.runnel.metadata.image.CorruptSnapshotException} naming the file.</li>
 *   <li>{@link #recentEntries()} keeps the last committed batches in memory for brokers that fetch the log
 *       ({@link io.runnel.metadata.fetch.FetchResponder}).</li>
 * </ul>
 */
public final class MetadataStateMachine extends BaseStateMachine implements MetadataSource {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);

    private final String clusterId;
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentSkipListMap<Long, CompletableFuture<MetadataImage>> waiters =
            new ConcurrentSkipListMap<>();
    private final RecentEntries recent;
    private volatile MetadataImage image;
    private volatile RaftPeerId leaderId;
    private volatile ControllerHooks hooks;
    private final AtomicInteger installedSnapshots = new AtomicInteger();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /** A state machine keeping the default window of recent entries for fetching brokers. */
    public MetadataStateMachine(String clusterId) {
        this(clusterId, RecentEntries.DEFAULT_MAX_ENTRIES);
    }

    /** @param fetchWindowEntries how many recent committed entries to keep for fetching brokers (>= 1) */
    public MetadataStateMachine(String clusterId, int fetchWindowEntries) {
        this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
        this.image = MetadataImage.empty(clusterId);
        this.recent = new RecentEntries(image, fetchWindowEntries, RecentEntries.DEFAULT_MAX_BYTES);
    }

    /** The newest image this member has applied. */
    @Override
    public MetadataImage image() {
        return image;
    }

    /** The index of the last log entry applied (configuration and no-op entries included), -1 before any. */
    @Override
    public long appliedOffset() {
        TermIndex last = getLastAppliedTermIndex();
        return Math.max(last == null ? -1 : last.getIndex(), image.provenance().index());
    }

    /** How many snapshots this member has installed from the leader since it started (it was behind its log). */
    public int installedSnapshots() {
        return installedSnapshots.get();
    }

    /** The recent committed entries and the image, as fetching brokers see them. */
    public RecentEntries recentEntries() {
        return recent;
    }

    /** The leader this member last heard of, or null. */
    public RaftPeerId leaderId() {
        return leaderId;
    }

    /**
     * Completes once this state machine is closed: when its node stops, or when Ratis closes this member's division
     * while the node runs (e.g. a removed voter that started an election was told to shut down, Ratis'
     * {@code notifyServerShutdown}). No entry is applied after the member has closed; Ratis may announce the shutdown
     * while its updater thread still applies one last entry, so read {@link #image()} only after removing listeners.
     */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** Installs the active-controller logic; before it is set, controller requests get NOT_CONTROLLER. */
    public void setControllerHooks(ControllerHooks controllerHooks) {
        this.hooks = controllerHooks;
    }

    @Override
    public void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(MetadataListener listener) {
        listeners.remove(listener);
    }

    /**
     * Completes with the first image whose provenance index is at least {@code index} (immediately when already
     * there). Callers bound the wait themselves ({@code orTimeout}).
     */
    public CompletableFuture<MetadataImage> awaitApplied(long index) {
        MetadataImage now = image;
        if (now.provenance().index() >= index) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<MetadataImage> f = waiters.computeIfAbsent(index, i -> new CompletableFuture<>());
        MetadataImage again = image; // an apply may have run between the check and the registration
        if (again.provenance().index() >= index) {
            waiters.remove(index, f);
            f.complete(again);
        }
        return f;
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().startAndTransition(this::loadLatestSnapshot, IOException.class);
    }

    /**
     * Ratis is about to install a snapshot from the leader (this member is behind the leader's purged log): nothing
     * is applied until {@link #reinitialize()}. Ratis' StateMachineUpdater requires the PAUSED state before it
     * reloads, and closes the server otherwise; {@code BaseStateMachine.pause()} does not move the state.
     */
    @Override
    public void pause() {
        LifeCycle.State now = getLifeCycleState();
        if (now == LifeCycle.State.PAUSED) {
            return;
        }
        if (now != LifeCycle.State.PAUSING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
        }
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    /** After a snapshot install: loads the installed snapshot as the image, then runs again. */
    @Override
    public void reinitialize() throws IOException {
        getLifeCycle().startAndTransition(() -> {
            SingleFileSnapshotInfo installed = loadLatestSnapshot();
            if (installed != null) {
                installedSnapshots.incrementAndGet();
                LOG.info("Installed the leader's metadata snapshot at {}", installed.getTermIndex());
            }
        }, IOException.class);
    }

    private SingleFileSnapshotInfo loadLatestSnapshot() throws IOException {
        SingleFileSnapshotInfo latest = storage.loadLatestSnapshot();
        if (latest == null) {
            return null;
        }
        MetadataImage loaded = ImageSnapshot.read(latest.getFile().getPath());
        if (!loaded.clusterId().equals(clusterId)) {
            throw new IOException("Snapshot " + latest.getFile().getPath().toAbsolutePath() + " belongs to cluster "
                    + loaded.clusterId() + ", this node to cluster " + clusterId);
        }
        setLastAppliedTermIndex(latest.getTermIndex());
        LOG.info("Loaded metadata snapshot {} at {}", latest.getFile().getPath(), latest.getTermIndex());
        publish(loaded);
        recent.reset(loaded, latest.getTermIndex().getIndex());
        return latest;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long term = entry.getTerm();
        long index = entry.getIndex();
        MetadataApplyReply.Builder reply = MetadataApplyReply.newBuilder().setTerm(term).setIndex(index);
        try {
            byte[] bytes = entry.getStateMachineLogEntry().getLogData().toByteArray();
            MetadataRecordBatch batch = MetadataRecordBatch.parseFrom(bytes);
            MetadataDelta delta = new MetadataDelta(image);
            delta.replayEntry(batch, index);
            MetadataImage next = delta.apply(new MetadataProvenance(term, index));
            publish(next);
            recent.append(term, index, com.google.protobuf.UnsafeByteOperations.unsafeWrap(bytes), next);
        } catch (MetadataReplayException e) {
            reply.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
        } catch (Exception e) { // undecodable entry or a bug: never let it escape into Ratis
            LOG.error("Metadata log entry {} rejected", TermIndex.valueOf(term, index), e);
            ErrorCode code = e instanceof com.google.protobuf.InvalidProtocolBufferException
                    ? ErrorCode.INVALID_REQUEST : ErrorCode.UNKNOWN_SERVER_ERROR;
            reply.setErrorCode(code.code()).setErrorMessage(String.valueOf(e.getMessage()));
        }
        recent.advance(index, image); // a no-op after an append; a rejected batch leaves the image as it was
        updateLastAppliedTermIndex(term, index);
        return CompletableFuture.completedFuture(
                Message.valueOf(UnsafeByteOperations.unsafeWrap(reply.build().toByteArray())));
    }

    private void publish(MetadataImage next) {
        MetadataImage previous = image;
        image = next;
        for (MetadataListener l : listeners) {
            try {
                l.onImage(previous, next);
            } catch (RuntimeException e) {
                LOG.warn("Metadata listener {} failed on {}", l, next.provenance(), e);
            }
        }
        Map<Long, CompletableFuture<MetadataImage>> due = waiters.headMap(next.provenance().index(), true);
        due.values().forEach(f -> f.complete(next));
        due.clear();
    }

    @Override
    public long takeSnapshot() throws IOException {
        MetadataImage snapshot = image;
        MetadataProvenance at = snapshot.provenance();
        if (at.index() < 0) {
            return -1; // nothing applied yet
        }
        File file = storage.getSnapshotFile(at.term(), at.index());
        ImageSnapshot.write(file.toPath(), snapshot);
        var md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), at.term(),
                at.index()));
        return at.index();
    }

    /** Ratis applied a configuration or no-op entry: nothing to replay, but fetchers may move past it. */
    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        super.notifyTermIndexUpdated(term, index);
        recent.advance(index, image);
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        leaderId = newLeaderId;
        ControllerHooks h = hooks;
        if (h != null && !groupMemberId.getPeerId().equals(newLeaderId)) {
            h.onLeadershipLost();
        }
    }

    @Override
    public void notifyLeaderReady() {
        ControllerHooks h = hooks;
        if (h != null) {
            h.onLeaderReady();
        }
    }

    @Override
    public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
        ControllerHooks h = hooks;
        if (h != null) {
            h.onLeadershipLost();
        }
    }

    /**
     * A read-only Ratis message is a ControllerRequest for the active controller (see controller_api.proto). The
     * answer is always a ControllerResponse, NOT_CONTROLLER when this member runs no controller logic.
     */
    @Override
    public CompletableFuture<Message> query(Message request) {
        ControllerHooks h = hooks;
        CompletableFuture<byte[]> answer = h != null ? h.handle(request.getContent().toByteArray())
                : CompletableFuture.completedFuture(ControllerResponse.newBuilder()
                        .setErrorCode(ErrorCode.NOT_CONTROLLER.code())
                        .setErrorMessage("This member runs no controller").setLeaderHint(-1).build().toByteArray());
        return answer.thenApply(bytes -> Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes)));
    }

    @Override
    public void close() throws IOException {
        ControllerHooks h = hooks;
        if (h != null) {
            h.onLeadershipLost();
        }
        waiters.values().forEach(f -> f.completeExceptionally(new IOException("metadata state machine closed")));
        waiters.clear();
        super.close();
        closed.complete(null);
    }

    /** Ratis shuts this member down (its division closes): told by a voter that it is not in the configuration. */
    @Override
    public void notifyServerShutdown(RoleInfoProto roleInfo, boolean allServer) {
        if (!allServer) {
            LOG.warn("Ratis shut down this metadata quorum member (role {})", roleInfo.getRole());
        }
        closed.complete(null);
    }
}
