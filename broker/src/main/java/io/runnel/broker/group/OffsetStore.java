package io.runnel.broker.group;

import io.runnel.metadata.image.CommittedOffset;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.rpc.CommitOffsetsRequest;
import io.runnel.metadata.rpc.DeleteOffsetsRequest;
import io.runnel.metadata.rpc.PartitionResult;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Committed offsets: OffsetCommit is checked against the group's membership (Kafka's rules: a commit outside group
 * management needs an empty group; otherwise the member must be known and in the current generation), written to the
 * metadata log through {@link OffsetLog} as one batch per request, and acknowledged once this broker's own image
 * holds it, so that a following OffsetFetch, answered from the image, sees it. A group's writes (commits, deletes,
 * expiry) run one after another, so an expiry never removes a commit it did not see.
 *
 * <p>Methods other than {@link #fetch} run on the coordinator's event-loop thread.
 */
final class OffsetStore {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetStore.class);
    private final OffsetLog log;
    private final ImageAwait images;
    private final Supplier<MetadataImage> image;
    private final ScheduledExecutorService loop;
    private final Map<String, ClassicGroup> groups;
    private final MemberSessions sessions;
    private final LongSupplier clock;
    private final long imageWaitMs;

    OffsetStore(OffsetLog log, ImageAwait images, Supplier<MetadataImage> image, ScheduledExecutorService loop,
                Map<String, ClassicGroup> groups, MemberSessions sessions, LongSupplier clock, long imageWaitMs) {
        this.log = log;
        this.images = images;
        this.image = image;
        this.loop = loop;
        this.groups = groups;
        this.sessions = sessions;
        this.clock = clock;
        this.imageWaitMs = imageWaitMs;
    }

    CompletableFuture<Map<TopicPartition, Errors>> commit(CommitRequest r) {
        Errors error = checkCommit(r);
        if (error != Errors.NONE) {
            Map<TopicPartition, Errors> all = new LinkedHashMap<>();
            r.offsets().keySet().forEach(tp -> all.put(tp, error));
            return CompletableFuture.completedFuture(all);
        }
        long timestamp = clock.getAsLong();
        CommitOffsetsRequest.Builder req = CommitOffsetsRequest.newBuilder().setGroupId(r.groupId())
                .setCommitTimestampMs(timestamp);
        r.offsets().forEach((tp, o) -> req.addOffsets(CommitOffsetsRequest.Offset.newBuilder().setTopic(tp.topic())
                .setPartition(tp.partition()).setOffset(o.offset()).setLeaderEpoch(o.leaderEpoch())
                .setMetadata(o.metadata())));
        return chain(groups.get(r.groupId()), () -> write(r, req.build()));
    }

    /** Kafka's OffsetCommit checks against the group; may create the (empty) group of a commit without members. */
    private Errors checkCommit(CommitRequest r) {
        ClassicGroup g = groups.get(r.groupId());
        if (g == null) {
            if (r.generationId() >= 0) {
                // a member of a generation this coordinator never saw (e.g. it took over the group): the member
                // rejoins. Kafka answers GROUP_ID_NOT_FOUND from v9, but its groups outlive a coordinator change;
                // Runnel's membership does not, and the classic consumer treats GROUP_ID_NOT_FOUND as fatal.
                return Errors.ILLEGAL_GENERATION;
            }
            g = new ClassicGroup(r.groupId(), 0L);
            groups.put(r.groupId(), g);
        }
        if (g.is(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (r.generationId() < 0 && g.is(GroupState.EMPTY)) {
            return Errors.NONE; // a consumer using assign(), or Admin: allowed while the group has no members
        }
        if (r.generationId() < 0 && r.memberId().isEmpty() && r.groupInstanceId() == null) {
            return Errors.UNKNOWN_MEMBER_ID; // not a member, and the group has members
        }
        Errors member = MemberSessions.check(g, r.memberId(), r.groupInstanceId(), r.generationId());
        if (member != Errors.NONE) {
            return member;
        }
        return switch (g.state()) {
            case STABLE, PREPARING_REBALANCE -> {
                GroupMember m = g.get(r.memberId());
                if (m.awaitingJoin == null) {
                    sessions.schedule(g, m, m.sessionTimeoutMs); // a commit shows the member is alive
                }
                yield Errors.NONE;
            }
            case COMPLETING_REBALANCE -> Errors.REBALANCE_IN_PROGRESS;
            default -> Errors.UNKNOWN_MEMBER_ID;
        };
    }

    private CompletableFuture<Map<TopicPartition, Errors>> write(CommitRequest r, CommitOffsetsRequest req) {
        return log.commit(req).handle((resp, failure) -> {
            Map<TopicPartition, Errors> results = new LinkedHashMap<>();
            if (failure != null) {
                LOG.warn("Committing offsets of group {} failed: {}", r.groupId(), failure.toString());
                r.offsets().keySet().forEach(tp -> results.put(tp, Errors.COORDINATOR_NOT_AVAILABLE));
                return results;
            }
            Map<TopicPartition, Errors> byPartition = new LinkedHashMap<>();
            for (PartitionResult p : resp.getPartitionsList()) {
                byPartition.put(new TopicPartition(p.getTopic(), p.getPartition()),
                        Errors.forCode((short) p.getErrorCode()));
            }
            r.offsets().keySet().forEach(tp -> results.put(tp,
                    byPartition.getOrDefault(tp, Errors.UNKNOWN_SERVER_ERROR)));
            return results;
        }).thenCompose(results -> {
            Map<TopicPartition, CommittedOffset> written = new LinkedHashMap<>();
            r.offsets().forEach((tp, o) -> {
                if (results.get(tp) == Errors.NONE) {
                    written.put(tp, new CommittedOffset(o.offset(), o.leaderEpoch(), o.metadata(),
                            req.getCommitTimestampMs()));
                }
            });
            if (written.isEmpty()) {
                return CompletableFuture.completedFuture(results);
            }
            return images.await(img -> holds(img, r.groupId(), written), imageWaitMs).thenApply(visible -> results);
        });
    }

    private static boolean holds(MetadataImage img, String groupId, Map<TopicPartition, CommittedOffset> written) {
        Map<TopicPartition, CommittedOffset> committed = img.offsets().get(groupId);
        if (committed == null) {
            return false;
        }
        for (Map.Entry<TopicPartition, CommittedOffset> e : written.entrySet()) {
            if (!e.getValue().equals(committed.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The group's committed offsets from the current image: of {@code partitions} (null offsets where none is
     * committed), or every committed one, sorted, when {@code partitions} is null. Any thread.
     */
    FetchedOffsets fetch(String groupId, List<TopicPartition> partitions) {
        Map<TopicPartition, CommittedOffset> committed = image.get().offsets().getOrDefault(groupId, Map.of());
        Map<TopicPartition, CommittedOffset> out = new LinkedHashMap<>();
        if (partitions == null) {
            out.putAll(new TreeMap<>(committed));
        } else {
            partitions.forEach(tp -> out.put(tp, committed.get(tp)));
        }
        return new FetchedOffsets(Errors.NONE, out);
    }

    /** OffsetDelete (KIP-496): removes offsets of topics no member of the group subscribes to. */
    CompletableFuture<OffsetDeleteResult> deleteOffsets(String groupId, List<TopicPartition> partitions) {
        ClassicGroup g = groups.get(groupId);
        MetadataImage img = image.get();
        Map<TopicPartition, CommittedOffset> committed = img.offsets().get(groupId);
        if ((g == null || g.is(GroupState.DEAD)) && committed == null) {
            return CompletableFuture.completedFuture(OffsetDeleteResult.failed(Errors.GROUP_ID_NOT_FOUND));
        }
        Set<String> subscribed = Set.of();
        if (g != null && !g.members.isEmpty()) {
            if (!"consumer".equals(g.protocolType)) {
                return CompletableFuture.completedFuture(OffsetDeleteResult.failed(Errors.NON_EMPTY_GROUP));
            }
            subscribed = subscribedTopics(g);
        }
        Map<TopicPartition, Errors> results = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            if (!img.topicsByName().containsKey(tp.topic())) {
                results.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            } else if (subscribed == null || subscribed.contains(tp.topic())) {
                results.put(tp, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
            } else {
                results.put(tp, Errors.NONE);
            }
        }
        List<TopicPartition> toDelete = results.entrySet().stream().filter(e -> e.getValue() == Errors.NONE
                && committed != null && committed.containsKey(e.getKey())).map(Map.Entry::getKey).toList();
        if (toDelete.isEmpty()) {
            return CompletableFuture.completedFuture(new OffsetDeleteResult(Errors.NONE, results));
        }
        ClassicGroup holder = g != null ? g : adopt(groupId);
        return chain(holder, () -> delete(groupId, toDelete, false)).thenApply(error -> {
            if (error != Errors.NONE) {
                toDelete.forEach(tp -> results.put(tp, error));
            }
            return new OffsetDeleteResult(Errors.NONE, results);
        });
    }

    /** The topics the members subscribe to, from their consumer-protocol metadata; null when unreadable. */
    private static Set<String> subscribedTopics(ClassicGroup g) {
        Set<String> topics = new HashSet<>();
        for (GroupMember m : g.members.values()) {
            try {
                for (MemberProtocol p : m.protocols) {
                    if (g.protocolName == null || p.name().equals(g.protocolName)) {
                        topics.addAll(ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(p.metadata()))
                                .topics());
                    }
                }
            } catch (RuntimeException e) {
                return null;
            }
        }
        return topics;
    }

    /**
     * DeleteGroups for one group: NON_EMPTY_GROUP (68) while it has members, GROUP_ID_NOT_FOUND (69) when it is
     * unknown; otherwise the group is Dead at once (joins get COORDINATOR_NOT_AVAILABLE and retry) and forgotten once
     * its offsets are deleted from the metadata log.
     */
    CompletableFuture<Errors> deleteGroup(String groupId) {
        ClassicGroup g = groups.get(groupId);
        boolean hasOffsets = image.get().offsets().containsKey(groupId);
        if ((g == null || g.is(GroupState.DEAD)) && !hasOffsets) {
            return CompletableFuture.completedFuture(Errors.GROUP_ID_NOT_FOUND);
        }
        if (g != null && !g.members.isEmpty()) {
            return CompletableFuture.completedFuture(Errors.NON_EMPTY_GROUP);
        }
        ClassicGroup holder = g != null ? g : adopt(groupId);
        CompletableFuture<Errors> done = chain(holder, () -> hasOffsets || image.get().offsets().containsKey(groupId)
                ? delete(groupId, List.of(), true) : CompletableFuture.completedFuture(Errors.NONE));
        sessions.unload(holder, Errors.COORDINATOR_NOT_AVAILABLE);
        groups.put(groupId, holder); // Dead until its offsets are gone
        return done.whenCompleteAsync((e, failure) -> groups.remove(groupId, holder), loop);
    }

    /** Deletes offsets of expired partitions of the groups this broker coordinates (see {@link OffsetExpiry}). */
    void expire(Predicate<String> coordinated, long retentionMs) {
        MetadataImage img = image.get();
        for (String groupId : img.offsets().keySet()) {
            ClassicGroup g = groups.get(groupId);
            if (!coordinated.test(groupId) || (g != null && !g.is(GroupState.EMPTY))) {
                continue;
            }
            if (OffsetExpiry.expired(img.offsets().get(groupId), g == null ? 0 : g.stateSinceMs(),
                    clock.getAsLong(), retentionMs).isEmpty()) {
                continue;
            }
            ClassicGroup holder = g != null ? g : adopt(groupId);
            chain(holder, () -> {
                // decided again now that earlier writes of the group are done
                Map<TopicPartition, CommittedOffset> now = image.get().offsets().get(groupId);
                if (now == null || !holder.is(GroupState.EMPTY) || groups.get(groupId) != holder) {
                    return CompletableFuture.completedFuture(Errors.NONE);
                }
                List<TopicPartition> expired = OffsetExpiry.expired(now, holder.stateSinceMs(), clock.getAsLong(),
                        retentionMs);
                if (expired.isEmpty()) {
                    return CompletableFuture.completedFuture(Errors.NONE);
                }
                LOG.info("Removing {} expired offsets of group {}", expired.size(), groupId);
                return delete(groupId, expired, expired.size() == now.size());
            });
        }
        // Empty groups without offsets are forgotten (Kafka marks them Dead at the same check)
        for (ClassicGroup g : List.copyOf(groups.values())) {
            if (g.is(GroupState.EMPTY) && g.pendingMembers.isEmpty() && g.offsetWrites.isDone()
                    && !img.offsets().containsKey(g.groupId)) {
                groups.remove(g.groupId, g);
            }
        }
    }

    /** An in-memory (empty) group for a group known only by its offsets, to order its writes. */
    private ClassicGroup adopt(String groupId) {
        ClassicGroup g = new ClassicGroup(groupId, 0L);
        groups.put(groupId, g);
        return g;
    }

    /** Deletes offsets through the log and waits until the image shows it; the error, NONE when done. */
    private CompletableFuture<Errors> delete(String groupId, List<TopicPartition> partitions, boolean wholeGroup) {
        DeleteOffsetsRequest.Builder req = DeleteOffsetsRequest.newBuilder().setGroupId(groupId)
                .setDeleteGroup(wholeGroup);
        partitions.forEach(tp -> req.addPartitions(DeleteOffsetsRequest.Partition.newBuilder().setTopic(tp.topic())
                .setPartition(tp.partition())));
        return log.delete(req.build()).handle((resp, failure) -> {
            if (failure != null) {
                LOG.warn("Deleting offsets of group {} failed: {}", groupId, failure.toString());
                return Errors.COORDINATOR_NOT_AVAILABLE;
            }
            Errors e = Errors.forCode((short) resp.getErrorCode());
            return e == Errors.GROUP_ID_NOT_FOUND ? Errors.NONE : e; // already gone
        }).thenCompose(error -> error != Errors.NONE ? CompletableFuture.completedFuture(error)
                : images.await(img -> gone(img, groupId, partitions, wholeGroup), imageWaitMs)
                        .thenApply(visible -> Errors.NONE));
    }

    private static boolean gone(MetadataImage img, String groupId, List<TopicPartition> partitions,
                                boolean wholeGroup) {
        Map<TopicPartition, CommittedOffset> committed = img.offsets().get(groupId);
        if (committed == null) {
            return true;
        }
        return !wholeGroup && partitions.stream().noneMatch(committed::containsKey);
    }

    /** Runs {@code step} on the loop after the group's earlier writes finished; the result is the step's. */
    private <T> CompletableFuture<T> chain(ClassicGroup g, Supplier<CompletableFuture<T>> step) {
        CompletableFuture<T> result = g.offsetWrites.handle((v, e) -> null)
                .thenComposeAsync(v -> step.get(), loop);
        g.offsetWrites = result.handle((v, e) -> null);
        return result;
    }
}
