package io.runnel.broker.replica;

import io.runnel.broker.metadata.MetadataView;
import io.runnel.broker.quota.ReplicationQuotas;
import io.runnel.broker.purgatory.DelayedOperationPurgatory;
import io.runnel.log.cleaner.LogCleaner;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The partitions this broker hosts, one {@link Partition} (and log directory {@code <topic>-<partition>} under
 * {@code log.dirs}) per replica the metadata image assigns to it. {@link #applyImage} opens, reconfigures, and
 * removes them as images arrive; this broker leads a partition when the image names it leader, with the image's
 * leader epoch, and otherwise follows it: after each image the followed partitions go to the {@link
 * FollowerFetching} (the replica fetchers, DESIGN.md section 6).
 *
 * <p>Serves Produce ({@link #appendRecords}; acks=-1 waits in a purgatory for the high watermark) and Fetch
 * ({@link #fetchMessages}; long polling in a purgatory woken by high-watermark moves and, for followers, by
 * appends). DeleteRecords ({@link #deleteRecords}) waits in a purgatory for
 * the followers' log start offsets. ISR changes a leader proposes go to the controller through the {@link IsrUpdater}. A timer thread expires
 * waiting operations, checks every half {@code replica.lag.time.max.ms} for ISR members to remove, checkpoints high
 * watermarks every {@code replica.high.watermark.checkpoint.interval.ms} and applies retention every {@code
 * log.retention.check.interval.ms}.
 *
 * <p>Thread-safe: image application serializes on this object; produce and fetch run concurrently.
 */
public final class ReplicaManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);
    private final ReplicaSettings settings;
    private final LogDirectories dirs;
    private final LongSupplier clock;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final DelayedOperationPurgatory<TopicPartition> producePurgatory;
    private final DelayedOperationPurgatory<TopicPartition> fetchPurgatory;
    private final FetchReader reader;
    private final ReplicationQuotas quotas;
    private final RecordDeletions deletions;
    private final LeaderAppends appends;
    private final IsrUpdater isrUpdater;
    private final PartitionListener partitionListener;
    private final LogCleaner cleaner;
    private volatile FollowerFetching fetching = FollowerFetching.NONE;
    private volatile MetadataImage image;
    private boolean closed;
    private boolean straysRemoved;

    /**
     * Indexes the partition directories under {@code log.dirs}; logs open when an image assigns them.
     *
     * @param clock ms since the epoch, for LogAppendTime and timestamp checks
     */
    public ReplicaManager(ReplicaSettings settings, String clusterId, LongSupplier clock) {
        this(settings, clusterId, clock, IsrUpdater.NONE);
    }

    /**
     * As {@link #ReplicaManager(ReplicaSettings, String, LongSupplier)}, sending ISR changes through {@code
     * isrUpdater}.
     */
    public ReplicaManager(ReplicaSettings settings, String clusterId, LongSupplier clock, IsrUpdater isrUpdater) {
        this.settings = settings;
        this.isrUpdater = isrUpdater;
        this.partitionListener = new PartitionListener() {
            @Override
            public void onHighWatermarkAdvanced(TopicPartition tp) {
                wake(tp);
            }

            @Override
            public void onIsrChangeProposed(Partition partition, IsrProposal proposal) {
                sendIsrChange(partition, proposal);
            }

            @Override
            public void onLowWatermarkAdvanced(TopicPartition tp) {
                deletions.wake(tp);
            }
        };
        this.clock = clock;
        this.dirs = new LogDirectories(settings.logDirs());
        this.cleaner = new LogCleaner(settings.cleaner(), settings.brokerId());
        cleaner.start();
        this.image = MetadataImage.empty(clusterId);
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "runnel-replica-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.producePurgatory = new DelayedOperationPurgatory<>("Produce", timer);
        this.fetchPurgatory = new DelayedOperationPurgatory<>("Fetch", timer);
        this.quotas = new ReplicationQuotas(settings.brokerId(), clock);
        this.reader = new FetchReader(partitions::get, () -> image, quotas.leader());
        this.deletions = new RecordDeletions(partitions::get, tp -> reader.missing(tp).error(), timer);
        this.appends = new LeaderAppends(settings.brokerId(), partitions::get, reader, producePurgatory,
                fetchPurgatory);
        timer.scheduleWithFixedDelay(() -> LogMaintenance.checkpointHighWatermarks(partitions::values),
                settings.hwCheckpointIntervalMs(), settings.hwCheckpointIntervalMs(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> LogMaintenance.applyRetention(partitions::values),
                settings.retentionCheckIntervalMs(), settings.retentionCheckIntervalMs(), TimeUnit.MILLISECONDS);
        long isrCheckMs = Math.max(1, settings.replicaLagTimeMaxMs() / 2);
        timer.scheduleWithFixedDelay(this::maybeShrinkIsrs, isrCheckMs, isrCheckMs, TimeUnit.MILLISECONDS);
    }

    /** Sets the follower side; the node wiring calls this once, before the first image. */
    public void setFollowerFetching(FollowerFetching followerFetching) {
        this.fetching = followerFetching;
    }

    /** This broker's replication throttles (KIP-73), kept up to date with each image. */
    public ReplicationQuotas replicationQuotas() {
        return quotas;
    }

    /** This broker's id. */
    public int brokerId() {
        return settings.brokerId();
    }

    /** The hosted partition, or null. */
    public Partition partition(TopicPartition tp) {
        return partitions.get(tp);
    }

    /** Every hosted partition. */
    public Map<TopicPartition, Partition> partitions() {
        return Map.copyOf(partitions);
    }

    /**
     * Makes the hosted partitions match {@code newImage}: opens a log for each partition whose replicas include this
     * broker (a directory left by an earlier topic of the same name is replaced), applies leadership and topic
     * configs, and closes and deletes the logs of partitions no longer assigned here (topic deleted, replica moved).
     * The first image also deletes directories found at startup that it does not assign here (strays); the node
     * hands images over only once the controller has unfenced this broker, so that image is current. Waiting
     * produces and fetches of partitions whose role changed are re-checked.
     */
    public synchronized void applyImage(MetadataImage newImage) {
        if (closed) {
            return;
        }
        this.image = newImage;
        quotas.apply(newImage);
        Map<TopicPartition, Boolean> assigned = new HashMap<>();
        Map<TopicPartition, FollowerFetching.FollowTarget> followed = new HashMap<>();
        for (TopicImage topic : newImage.topicsByName().values()) {
            PartitionSettings topicSettings = settingsFor(newImage, topic.name());
            for (Map.Entry<Integer, PartitionRegistration> e : topic.partitions().entrySet()) {
                PartitionRegistration reg = e.getValue();
                if (!reg.replicas().contains(settings.brokerId())) {
                    continue;
                }
                TopicPartition tp = new TopicPartition(topic.name(), e.getKey());
                assigned.put(tp, Boolean.TRUE);
                host(tp, topic, reg, topicSettings);
                if (reg.leader() >= 0 && reg.leader() != settings.brokerId() && partitions.containsKey(tp)) {
                    followed.put(tp, new FollowerFetching.FollowTarget(reg.leader(), reg.leaderEpoch()));
                }
            }
        }
        for (TopicPartition tp : List.copyOf(partitions.keySet())) {
            if (!assigned.containsKey(tp)) {
                remove(tp);
            }
        }
        if (!straysRemoved) { // the first image comes once the controller unfenced this broker: it is current
            straysRemoved = true;
            dirs.removeStrays(assigned.keySet()).forEach(tp -> LOG.info("Deleted the log of {}: no longer a replica "
                    + "here (removed while this broker was down)", tp));
        }
        fetching.follow(newImage, followed);
    }

    private void host(TopicPartition tp, TopicImage topic, PartitionRegistration reg, PartitionSettings topicSettings) {
        PartitionState state = PartitionState.of(reg);
        Partition existing = partitions.get(tp);
        if (existing != null && !existing.topicId().equals(topic.id())) {
            remove(tp);
            existing = null;
        }
        if (existing == null) {
            try {
                Path dir = dirs.dirFor(tp, topic.id());
                Partition p = Partition.open(tp, topic.id(), dir, settings.brokerId(), state, topicSettings,
                        settings.replicaLagTimeMaxMs(), clock, partitionListener);
                partitions.put(tp, p);
                cleaner.add(tp.toString(), p.log());
                LOG.info("Hosting {} ({}) in {}: leader {} epoch {}, log end offset {}, high watermark {}", tp,
                        state.leader() == settings.brokerId() ? "leader" : "follower", dir, state.leader(),
                        state.leaderEpoch(), p.logEndOffset(), p.highWatermark());
            } catch (RuntimeException e) {
                LOG.error("Cannot open the log of {}; it stays offline", tp, e);
            }
            return;
        }
        boolean roleChanged = existing.state().leader() != state.leader()
                || existing.state().leaderEpoch() != state.leaderEpoch();
        boolean wasCompact = existing.log().config().cleanupPolicy().compact();
        existing.updateSettings(topicSettings);
        existing.applyState(state);
        if (!wasCompact && existing.log().config().cleanupPolicy().compact()) {
            cleaner.wakeUp();
        }
        if (roleChanged) {
            LOG.info("{}: leader {} epoch {}", tp, state.leader(), state.leaderEpoch());
            wake(tp);
        }
    }

    private void remove(TopicPartition tp) {
        Partition p = partitions.remove(tp);
        if (p == null) {
            return;
        }
        cleaner.remove(tp.toString());
        try {
            p.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing the log of removed partition {} failed", tp, e);
        }
        dirs.remove(tp);
        LOG.info("Removed partition {} and its log", tp);
        wake(tp);
    }

    private PartitionSettings settingsFor(MetadataImage img, String topic) {
        try {
            return settings.defaults().with(MetadataView.topicConfig(img, topic));
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring the configs of topic {}: {}", topic, e.getMessage());
            return settings.defaults();
        }
    }

    private void sendIsrChange(Partition partition, IsrProposal proposal) {
        TopicPartition tp = partition.topicPartition();
        LOG.info("{}: proposing ISR {} (was {}): {}", tp, proposal.newIsr(), partition.state().isr(),
                proposal.reason());
        isrUpdater.alterIsr(tp, partition.topicId(), proposal).whenComplete((error, failure) -> {
            if (failure != null || error != Errors.NONE) {
                LOG.info("{}: ISR change to {} not made: {}", tp, proposal.newIsr(),
                        failure != null ? failure.toString() : error.name());
                partition.isrChangeFailed(proposal);
            }
        });
    }

    private void maybeShrinkIsrs() {
        for (Partition p : partitions.values()) {
            try {
                p.maybeShrinkIsr();
            } catch (RuntimeException e) {
                LOG.warn("ISR check of {} failed", p.topicPartition(), e);
            }
        }
    }

    private void wake(TopicPartition tp) {
        producePurgatory.checkAndComplete(tp);
        fetchPurgatory.checkAndComplete(tp);
        deletions.wake(tp);
    }

    /**
     * Appends each partition's records as leader. With acks=-1 the future completes when every appended partition's
     * high watermark has passed its records, or after {@code timeoutMs} (REQUEST_TIMED_OUT for those still short).
     *
     * @param records records per partition, in request order (slices of the request frame, rewritten in place)
     * @return results in the same order
     */
    public CompletableFuture<Map<TopicPartition, ProducePartitionResult>> appendRecords(
            short acks, long timeoutMs, Map<TopicPartition, ByteBuffer> records) {
        Map<TopicPartition, Function<Partition, ProducePartitionResult>> appends = new LinkedHashMap<>();
        records.forEach((tp, batch) -> appends.put(tp, p -> p.appendAsLeader(batch, acks)));
        return this.appends.append(appends, acks, timeoutMs);
    }

    /**
     * WriteTxnMarkers (key 27, KIP-98) for one producer: appends a COMMIT or ABORT marker to each partition as
     * leader ({@link Partition#appendTxnMarker}) and completes once every appended marker is below its partition's
     * high watermark (as acks=-1), or after {@code timeoutMs} (REQUEST_TIMED_OUT for those still short).
     * {@code transactionVersion} is the transaction's (WriteTxnMarkers v2; 2 = transactions v2, KIP-890 part 2).
     */
    public CompletableFuture<Map<TopicPartition, ProducePartitionResult>> appendTxnMarkers(
            long producerId, short producerEpoch, int coordinatorEpoch, boolean commit, List<TopicPartition> tps,
            long timeoutMs, int transactionVersion) {
        Map<TopicPartition, Function<Partition, ProducePartitionResult>> appends = new LinkedHashMap<>();
        tps.forEach(tp -> appends.put(tp, p -> p.appendTxnMarker(producerId, producerEpoch, coordinatorEpoch,
                commit, transactionVersion)));
        return this.appends.append(appends, (short) -1, timeoutMs);
    }

    /**
     * Reads a Fetch: at once when {@code max_wait_ms} is 0, {@code min_bytes} are available, or a partition errs;
     * otherwise when enough bytes arrive below the high watermarks or the wait ends.
     *
     * @return one result per requested partition, in request order
     */
    public CompletableFuture<List<FetchPartitionData>> fetchMessages(FetchParams params) {
        List<FetchPartitionData> now = reader.read(params);
        long bytes = 0;
        boolean error = false;
        for (FetchPartitionData d : now) {
            bytes += d.records().length();
            error |= d.error() != Errors.NONE;
        }
        if (params.maxWaitMs() <= 0 || params.partitions().isEmpty() || bytes >= params.minBytes() || error) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<List<FetchPartitionData>> future = new CompletableFuture<>();
        DelayedFetch delayed = new DelayedFetch(params, partitions::get, reader, future);
        fetchPurgatory.tryCompleteElseWatch(delayed, params.partitions().stream().map(FetchPartition::tp).toList());
        return future;
    }

    /** ListOffsets for one partition from a consumer: {@link #fetchOffsetForTimestamp(TopicPartition, long, int, boolean, boolean)}. */
    public OffsetLookupResult fetchOffsetForTimestamp(TopicPartition tp, long timestamp, int currentLeaderEpoch) {
        return fetchOffsetForTimestamp(tp, timestamp, currentLeaderEpoch, true, false);
    }

    /**
     * ListOffsets for one partition; UNKNOWN_TOPIC_OR_PARTITION or NOT_LEADER_OR_FOLLOWER when not hosted, and for
     * a consumer ({@code fromConsumer}) OFFSET_NOT_AVAILABLE while a new leader's high watermark lags (KIP-207);
     * {@code readCommitted} (isolation level 1, KIP-98) bounds the answer by the last stable offset.
     */
    public OffsetLookupResult fetchOffsetForTimestamp(TopicPartition tp, long timestamp, int currentLeaderEpoch,
                                                      boolean fromConsumer, boolean readCommitted) {
        Partition p = partitions.get(tp);
        if (p == null) {
            return OffsetLookupResult.error(reader.missing(tp).error());
        }
        return OffsetLookup.asLeader(p, timestamp, currentLeaderEpoch, fromConsumer, readCommitted);
    }

    /**
     * DeleteRecords (key 21, KIP-107): as leader of each partition, moves its log start offset to the given offset
     * (-1: the high watermark), then completes once the low watermark (the minimum log start offset over the leader
     * and its in-sync followers) reaches it, or after {@code timeoutMs} (REQUEST_TIMED_OUT for those still short).
     * Errors per partition: see {@link DeleteRecordsPartitionResult}.
     *
     * @param offsets   per partition, the first offset to keep
     * @param timeoutMs how long to wait for the followers, in ms
     * @return results in the same order
     */
    public CompletableFuture<Map<TopicPartition, DeleteRecordsPartitionResult>> deleteRecords(
            long timeoutMs, Map<TopicPartition, Long> offsets) {
        return deletions.deleteRecords(timeoutMs, offsets);
    }

    /** The image last applied. */
    public MetadataImage image() {
        return image;
    }

    /** Answers waiting operations, stops the timer, and closes every log (with its clean-shutdown marker). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        fetching.close();
        producePurgatory.completeAll();
        fetchPurgatory.completeAll();
        deletions.completeAll();
        timer.shutdownNow();
        cleaner.close();
        for (Partition p : partitions.values()) {
            try {
                p.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the log of {} failed", p.topicPartition(), e);
            }
        }
        partitions.clear();
    }
}
