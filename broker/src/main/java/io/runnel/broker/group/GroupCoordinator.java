package io.runnel.broker.group;

import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The group coordinator of one broker: Kafka's classic group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup
 * with client-side assignment) for the groups this broker coordinates, their committed offsets in the metadata log,
 * and the group admin APIs (ListGroups, DescribeGroups, DeleteGroups, OffsetDelete). DESIGN.md section 7.
 *
 * <p>Which groups: those {@link CoordinatorPlacement} assigns to this broker in the current image. Requests for
 * other groups get NOT_COORDINATOR (16), and FindCoordinator names the right broker. When the live brokers change,
 * groups this broker no longer coordinates are unloaded: their waiting JoinGroup and SyncGroup responses get
 * NOT_COORDINATOR, so members rediscover the coordinator and rejoin there. Membership is in memory only; committed
 * offsets are in the metadata log and survive any broker.
 *
 * <p>Threading: every group operation and every timer (sessions, rebalance and sync timeouts, the initial delay,
 * offset expiry) runs on one event-loop thread, so group state needs no locks and nothing polls. Public methods may
 * be called from any thread and return futures completed on that thread (or a controller client thread).
 */
public final class GroupCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);
    private final int localBrokerId;
    private final GroupConfig config;
    private final Supplier<MetadataImage> image;
    private final ScheduledThreadPoolExecutor loop;
    private final Map<String, ClassicGroup> groups = new HashMap<>();
    private final Membership membership;
    private final MemberSessions sessions;
    private final OffsetStore offsets;
    private volatile CoordinatorPlacement placement = CoordinatorPlacement.over();

    /**
     * @param localBrokerId this broker's {@code node.id}
     * @param log           where offsets are written (the metadata log through the controller)
     * @param images        waits for this broker's image to show a write
     * @param image         this broker's current image
     * @param clock         epoch milliseconds (commit timestamps, expiry)
     * @param imageWaitMs   how long an acknowledged write may wait for the local image before it is answered
     *                      anyway (it is committed)
     */
    public GroupCoordinator(int localBrokerId, GroupConfig config, OffsetLog log, ImageAwait images,
                            Supplier<MetadataImage> image, LongSupplier clock, long imageWaitMs) {
        this.localBrokerId = localBrokerId;
        this.config = config;
        this.image = image;
        this.loop = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "group-coordinator-" + localBrokerId);
            t.setDaemon(true);
            return t;
        });
        loop.setRemoveOnCancelPolicy(true);
        loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.membership = new Membership(config, loop, groups, clock);
        this.sessions = new MemberSessions(loop, groups, membership, clock);
        membership.sessions(sessions);
        this.offsets = new OffsetStore(log, images, image, loop, groups, sessions, clock, imageWaitMs);
        loop.scheduleWithFixedDelay(() -> {
            try {
                offsets.expire(this::isCoordinator, config.offsetsRetentionMs());
            } catch (RuntimeException e) {
                LOG.error("Expiring offsets failed; trying again in {} ms", config.retentionCheckIntervalMs(), e);
            }
        }, config.retentionCheckIntervalMs(), config.retentionCheckIntervalMs(), TimeUnit.MILLISECONDS);
    }

    /** The settings in use. */
    public GroupConfig config() {
        return config;
    }

    /** The broker coordinating {@code groupId} in the current image, or empty when no broker is alive. */
    public OptionalInt coordinatorOf(String groupId) {
        return placement.coordinator(groupId);
    }

    /** True when this broker coordinates {@code groupId}. */
    public boolean isCoordinator(String groupId) {
        OptionalInt c = placement.coordinator(groupId);
        return c.isPresent() && c.getAsInt() == localBrokerId;
    }

    /**
     * Takes a new image: when the live brokers changed, groups now coordinated elsewhere are unloaded. Called by the
     * broker after every published image.
     */
    public void onImage(MetadataImage next) {
        CoordinatorPlacement p = CoordinatorPlacement.of(next);
        if (p.sameBrokers(placement)) {
            return;
        }
        placement = p;
        LOG.info("Live brokers for group coordination: {}", p);
        run(() -> {
            for (ClassicGroup g : List.copyOf(groups.values())) {
                if (!isCoordinator(g.groupId)) {
                    LOG.info("Unloading {}: broker {} no longer coordinates it", g, localBrokerId);
                    sessions.unload(g, Errors.NOT_COORDINATOR);
                }
            }
        });
    }

    /** JoinGroup (API key 11); see {@link JoinResult} for the errors. */
    public CompletableFuture<JoinResult> join(JoinRequest r) {
        if (r.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(JoinResult.failed(Errors.INVALID_GROUP_ID, r.memberId()));
        }
        if (!isCoordinator(r.groupId())) {
            return CompletableFuture.completedFuture(JoinResult.failed(Errors.NOT_COORDINATOR, r.memberId()));
        }
        return onLoop(() -> isCoordinator(r.groupId()) ? membership.join(r)
                : CompletableFuture.completedFuture(JoinResult.failed(Errors.NOT_COORDINATOR, r.memberId())),
                () -> JoinResult.failed(Errors.COORDINATOR_NOT_AVAILABLE, r.memberId()));
    }

    /** SyncGroup (API key 14); see {@link SyncResult}. */
    public CompletableFuture<SyncResult> sync(SyncRequest r) {
        if (r.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(SyncResult.failed(Errors.INVALID_GROUP_ID));
        }
        if (!isCoordinator(r.groupId())) {
            return CompletableFuture.completedFuture(SyncResult.failed(Errors.NOT_COORDINATOR));
        }
        return onLoop(() -> isCoordinator(r.groupId()) ? sessions.sync(r)
                : CompletableFuture.completedFuture(SyncResult.failed(Errors.NOT_COORDINATOR)),
                () -> SyncResult.failed(Errors.COORDINATOR_NOT_AVAILABLE));
    }

    /**
     * Heartbeat (API key 12): NONE, REBALANCE_IN_PROGRESS (27, rejoin), ILLEGAL_GENERATION (22), UNKNOWN_MEMBER_ID
     * (25), FENCED_INSTANCE_ID (82), NOT_COORDINATOR (16), INVALID_GROUP_ID (24), COORDINATOR_NOT_AVAILABLE (15).
     */
    public CompletableFuture<Errors> heartbeat(String groupId, String memberId, String groupInstanceId,
                                               int generationId) {
        if (groupId.isEmpty()) {
            return CompletableFuture.completedFuture(Errors.INVALID_GROUP_ID);
        }
        if (!isCoordinator(groupId)) {
            return CompletableFuture.completedFuture(Errors.NOT_COORDINATOR);
        }
        return onLoop(() -> CompletableFuture.completedFuture(sessions.heartbeat(groupId, memberId == null ? ""
                : memberId, groupInstanceId, generationId)), () -> Errors.COORDINATOR_NOT_AVAILABLE);
    }

    /** LeaveGroup (API key 13) for one or more members; see {@link LeaveResult}. */
    public CompletableFuture<LeaveResult> leave(String groupId, List<LeaveResult.Member> members) {
        if (groupId.isEmpty()) {
            return CompletableFuture.completedFuture(new LeaveResult(Errors.INVALID_GROUP_ID, List.of()));
        }
        if (!isCoordinator(groupId)) {
            return CompletableFuture.completedFuture(new LeaveResult(Errors.NOT_COORDINATOR, List.of()));
        }
        return onLoop(() -> CompletableFuture.completedFuture(sessions.leave(groupId, members)),
                () -> new LeaveResult(Errors.COORDINATOR_NOT_AVAILABLE, List.of()));
    }

    /**
     * OffsetCommit (API key 8): per partition in request order NONE or the error: the group checks (UNKNOWN_MEMBER_ID,
     * ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS, FENCED_INSTANCE_ID), the log's
     * (UNKNOWN_TOPIC_OR_PARTITION, OFFSET_METADATA_TOO_LARGE, INVALID_GROUP_ID), COORDINATOR_NOT_AVAILABLE when the
     * controller could not be reached, NOT_COORDINATOR. Nothing is written unless the group checks pass.
     */
    public CompletableFuture<Map<TopicPartition, Errors>> commit(CommitRequest r) {
        if (!isCoordinator(r.groupId())) {
            return CompletableFuture.completedFuture(every(r.offsets().keySet(), Errors.NOT_COORDINATOR));
        }
        return onLoop(() -> isCoordinator(r.groupId()) ? offsets.commit(r)
                : CompletableFuture.completedFuture(every(r.offsets().keySet(), Errors.NOT_COORDINATOR)),
                () -> every(r.offsets().keySet(), Errors.COORDINATOR_NOT_AVAILABLE));
    }

    /**
     * The group check of TxnOffsetCommit (API key 28, KIP-447): with a generation (at least 0) the member must be in
     * the group's current generation, so that a zombie producer of a member that lost its partitions cannot commit
     * offsets for them: UNKNOWN_MEMBER_ID (25), ILLEGAL_GENERATION (22), FENCED_INSTANCE_ID (82); without one
     * (generation -1, a producer outside group management) NONE. NOT_COORDINATOR when another broker coordinates it.
     */
    public CompletableFuture<Errors> checkTxnMember(String groupId, String memberId, String groupInstanceId,
                                                    int generationId) {
        if (!isCoordinator(groupId)) {
            return CompletableFuture.completedFuture(Errors.NOT_COORDINATOR);
        }
        if (generationId < 0) {
            return CompletableFuture.completedFuture(Errors.NONE);
        }
        return onLoop(() -> {
            ClassicGroup g = groups.get(groupId);
            return CompletableFuture.completedFuture(g == null ? Errors.ILLEGAL_GENERATION
                    : MemberSessions.check(g, memberId == null ? "" : memberId, groupInstanceId, generationId));
        }, () -> Errors.COORDINATOR_NOT_AVAILABLE);
    }

    /**
     * OffsetFetch (API key 9) for one group: the committed offsets of {@code partitions}, or of every partition
     * with one when null; NOT_COORDINATOR for the whole group when this broker does not coordinate it.
     */
    public FetchedOffsets fetch(String groupId, List<TopicPartition> partitions) {
        if (!isCoordinator(groupId)) {
            return FetchedOffsets.failed(Errors.NOT_COORDINATOR);
        }
        return offsets.fetch(groupId, partitions);
    }

    /** OffsetDelete (API key 47); see {@link OffsetDeleteResult}. */
    public CompletableFuture<OffsetDeleteResult> deleteOffsets(String groupId, List<TopicPartition> partitions) {
        if (groupId.isEmpty()) {
            return CompletableFuture.completedFuture(OffsetDeleteResult.failed(Errors.INVALID_GROUP_ID));
        }
        if (!isCoordinator(groupId)) {
            return CompletableFuture.completedFuture(OffsetDeleteResult.failed(Errors.NOT_COORDINATOR));
        }
        return onLoop(() -> offsets.deleteOffsets(groupId, partitions),
                () -> OffsetDeleteResult.failed(Errors.COORDINATOR_NOT_AVAILABLE));
    }

    /**
     * DeleteGroups (API key 42): per group NONE, NON_EMPTY_GROUP (68), GROUP_ID_NOT_FOUND (69), INVALID_GROUP_ID
     * (24), NOT_COORDINATOR (16), COORDINATOR_NOT_AVAILABLE (15). A deleted group's offsets leave the metadata log.
     */
    public CompletableFuture<Map<String, Errors>> deleteGroups(List<String> groupIds) {
        Map<String, CompletableFuture<Errors>> each = new LinkedHashMap<>();
        for (String id : groupIds) {
            if (id.isEmpty()) {
                each.put(id, CompletableFuture.completedFuture(Errors.INVALID_GROUP_ID));
            } else if (!isCoordinator(id)) {
                each.put(id, CompletableFuture.completedFuture(Errors.NOT_COORDINATOR));
            } else {
                each.put(id, onLoop(() -> offsets.deleteGroup(id), () -> Errors.COORDINATOR_NOT_AVAILABLE));
            }
        }
        return CompletableFuture.allOf(each.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, Errors> out = new LinkedHashMap<>();
            each.forEach((id, f) -> out.put(id, f.join()));
            return out;
        });
    }

    /**
     * ListGroups (API key 16): the groups this broker coordinates (in memory, or known only by committed offsets,
     * which are listed Empty with an unknown protocol type), keeping those in {@code states} (Kafka's names, any
     * case; empty keeps all).
     */
    public CompletableFuture<List<GroupOverview>> listGroups(Set<String> states) {
        return onLoop(() -> {
            List<GroupOverview> out = new ArrayList<>();
            for (ClassicGroup g : groups.values()) {
                if (!g.is(GroupState.DEAD) && isCoordinator(g.groupId)) {
                    out.add(new GroupOverview(g.groupId, g.protocolType == null ? "" : g.protocolType,
                            g.state().kafkaName()));
                }
            }
            for (String id : image.get().offsets().keySet()) {
                if (!groups.containsKey(id) && isCoordinator(id)) {
                    out.add(new GroupOverview(id, "", GroupState.EMPTY.kafkaName()));
                }
            }
            out.removeIf(o -> !states.isEmpty() && states.stream().noneMatch(s -> s.equalsIgnoreCase(o.state())));
            out.sort(java.util.Comparator.comparing(GroupOverview::groupId));
            return CompletableFuture.completedFuture(out);
        }, List::of);
    }

    /** DescribeGroups (API key 15) for each group, in request order; see {@link GroupDescription}. */
    public CompletableFuture<List<GroupDescription>> describe(List<String> groupIds) {
        return onLoop(() -> {
            List<GroupDescription> out = new ArrayList<>();
            for (String id : groupIds) {
                out.add(GroupDescriber.describe(id, isCoordinator(id), groups.get(id),
                        image.get().offsets().containsKey(id)));
            }
            return CompletableFuture.completedFuture(out);
        }, () -> groupIds.stream().map(id -> GroupDescription.of(id, Errors.COORDINATOR_NOT_AVAILABLE,
                GroupState.DEAD)).toList());
    }

    private static <K> Map<K, Errors> every(Iterable<K> keys, Errors error) {
        Map<K, Errors> out = new LinkedHashMap<>();
        keys.forEach(k -> out.put(k, error));
        return out;
    }

    /**
     * Runs {@code op} on the loop; {@code fallback} answers when the coordinator is closed. Operations that create
     * group state check ownership again on the loop, after any unload queued by an image change.
     */
    private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> op, Supplier<T> fallback) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    op.get().whenComplete((v, e) -> {
                        if (e != null) {
                            LOG.error("A group operation failed", e);
                            result.complete(fallback.get());
                        } else {
                            result.complete(v);
                        }
                    });
                } catch (RuntimeException e) {
                    LOG.error("A group operation failed", e);
                    result.complete(fallback.get());
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(fallback.get());
        }
        return result;
    }

    private void run(Runnable task) {
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("A group task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** Unloads every group (waiting members get NOT_COORDINATOR) and stops the event loop. */
    @Override
    public void close() {
        run(() -> List.copyOf(groups.values()).forEach(g -> sessions.unload(g, Errors.NOT_COORDINATOR)));
        loop.shutdown();
        try {
            if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
                loop.shutdownNow();
            }
        } catch (InterruptedException e) {
            loop.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
