package io.runnel.broker.handler;

import io.runnel.broker.group.FetchedOffsets;
import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.image.CommittedOffset;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * OffsetFetch (key 9, v1-9): committed offsets read from this broker's metadata image (an OffsetCommit is answered
 * only once the image holds it, so a following fetch sees it). A partition without a committed offset gets offset -1,
 * leader epoch -1, metadata {@code ""} and no error, as in Kafka. v2+ a null topic list asks for every committed
 * offset of the group and errors are also top-level; v5+ leader epochs; v7+ {@code require_stable}: a partition
 * with transactional offsets pending (TxnOffsetCommit of a transaction not yet ended, KIP-447) gets
 * UNSTABLE_OFFSET_COMMIT (88), which clients retry; v8+ (KIP-709) several groups per request, each with its own error. NOT_COORDINATOR (16) for a
 * group another broker coordinates.
 */
public final class OffsetFetchHandler implements ApiHandler {
    private final GroupCoordinator coordinator;
    private final Supplier<MetadataImage> image;

    /** @param image where pending transactional offsets are read ({@code require_stable}) */
    public OffsetFetchHandler(GroupCoordinator coordinator, Supplier<MetadataImage> image) {
        this.coordinator = coordinator;
        this.image = image;
    }

    /** Partitions of {@code groupId} with transactional offsets pending, when the request requires stable ones. */
    private Set<TopicPartition> unstable(String groupId, boolean requireStable) {
        if (!requireStable) {
            return Set.of();
        }
        Map<Long, Map<TopicPartition, CommittedOffset>> pending = image.get().pendingTxnOffsets().get(groupId);
        Set<TopicPartition> out = new HashSet<>();
        if (pending != null) {
            pending.values().forEach(m -> out.addAll(m.keySet()));
        }
        return out;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FETCH;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        OffsetFetchRequestData d = (OffsetFetchRequestData) request.body();
        short v = request.version();
        OffsetFetchResponseData out = new OffsetFetchResponseData().setThrottleTimeMs(0);
        if (v >= OffsetFetchRequest.BATCH_MIN_VERSION) {
            for (OffsetFetchRequestGroup g : d.groups()) {
                List<TopicPartition> asked = null;
                if (g.topics() != null) {
                    asked = new ArrayList<>();
                    for (OffsetFetchRequestTopics t : g.topics()) {
                        for (int p : t.partitionIndexes()) {
                            asked.add(new TopicPartition(t.name(), p));
                        }
                    }
                }
                out.groups().add(group(g.groupId(), coordinator.fetch(g.groupId(), asked),
                        unstable(g.groupId(), d.requireStable())));
            }
        } else {
            List<TopicPartition> asked = null;
            if (d.topics() != null) {
                asked = new ArrayList<>();
                for (OffsetFetchRequestTopic t : d.topics()) {
                    for (int p : t.partitionIndexes()) {
                        asked.add(new TopicPartition(t.name(), p));
                    }
                }
            }
            FetchedOffsets f = coordinator.fetch(d.groupId(), asked);
            single(out, f, asked, v, unstable(d.groupId(), v >= 7 && d.requireStable()));
        }
        return CompletableFuture.completedFuture(ApiResponse.send(out));
    }

    private static OffsetFetchResponseGroup group(String groupId, FetchedOffsets f, Set<TopicPartition> unstable) {
        OffsetFetchResponseGroup g = new OffsetFetchResponseGroup().setGroupId(groupId).setErrorCode(f.error().code());
        for (Map.Entry<String, Map<Integer, CommittedOffset>> t : byTopic(f.offsets()).entrySet()) {
            OffsetFetchResponseTopics topic = new OffsetFetchResponseTopics().setName(t.getKey());
            t.getValue().forEach((p, committed) -> {
                boolean pending = unstable.contains(new TopicPartition(t.getKey(), p));
                CommittedOffset o = pending ? null : committed;
                topic.partitions().add(new OffsetFetchResponsePartitions()
                        .setPartitionIndex(p).setCommittedOffset(o == null ? OffsetFetchResponse.INVALID_OFFSET
                                : o.offset()).setCommittedLeaderEpoch(o == null ? -1 : o.leaderEpoch())
                        .setMetadata(o == null ? OffsetFetchResponse.NO_METADATA : o.metadata())
                        .setErrorCode(pending ? Errors.UNSTABLE_OFFSET_COMMIT.code() : Errors.NONE.code()));
            });
            g.topics().add(topic);
        }
        return g;
    }

    /** Versions 1-7: one group; a group error is top-level (v2+) and, as v1 has no top-level error, per partition. */
    private static void single(OffsetFetchResponseData out, FetchedOffsets f, List<TopicPartition> asked, short v,
                               Set<TopicPartition> unstable) {
        Errors error = f.error();
        Map<TopicPartition, CommittedOffset> offsets = f.offsets();
        if (error != Errors.NONE && asked != null) {
            offsets = new LinkedHashMap<>();
            for (TopicPartition tp : asked) {
                offsets.put(tp, null);
            }
        }
        for (Map.Entry<String, Map<Integer, CommittedOffset>> t : byTopic(offsets).entrySet()) {
            OffsetFetchResponseTopic topic = new OffsetFetchResponseTopic().setName(t.getKey());
            t.getValue().forEach((p, committed) -> {
                boolean pending = unstable.contains(new TopicPartition(t.getKey(), p));
                CommittedOffset o = pending ? null : committed;
                OffsetFetchResponsePartition part = new OffsetFetchResponsePartition().setPartitionIndex(p)
                        .setCommittedOffset(o == null ? OffsetFetchResponse.INVALID_OFFSET : o.offset())
                        .setMetadata(o == null ? OffsetFetchResponse.NO_METADATA : o.metadata())
                        .setErrorCode(pending ? Errors.UNSTABLE_OFFSET_COMMIT.code()
                                : v < 2 ? error.code() : Errors.NONE.code());
                if (v >= 5) {
                    part.setCommittedLeaderEpoch(o == null ? -1 : o.leaderEpoch());
                }
                topic.partitions().add(part);
            });
            out.topics().add(topic);
        }
        if (v >= 2) {
            out.setErrorCode(error.code());
        }
    }

    private static Map<String, Map<Integer, CommittedOffset>> byTopic(Map<TopicPartition, CommittedOffset> offsets) {
        Map<String, Map<Integer, CommittedOffset>> out = new LinkedHashMap<>();
        offsets.forEach((tp, o) -> out.computeIfAbsent(tp.topic(), t -> new LinkedHashMap<>()).put(tp.partition(), o));
        return out;
    }
}
