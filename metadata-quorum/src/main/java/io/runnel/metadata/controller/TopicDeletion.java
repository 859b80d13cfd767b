package io.runnel.metadata.controller;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.CommittedOffset;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.RemoveTopicRecord;
import io.runnel.metadata.record.TxnOffsetCommitRecord;
import io.runnel.metadata.rpc.DeleteTopicsRequest;
import io.runnel.metadata.rpc.DeleteTopicsResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * DeleteTopics (API key 20): per topic, a RemoveTopicRecord (replay drops its partitions and configs) plus an
 * OffsetDeleteRecord for every group's committed offset in it, and the removal of pending transactional offsets in
 * it (see {@link #dropPendingTxnOffsets}). Errors per topic: UNKNOWN_TOPIC_OR_PARTITION (3) for
 * an unknown name, UNKNOWN_TOPIC_ID (100) for an unknown id, INVALID_REQUEST (42) for a topic named twice,
 * TOPIC_DELETION_DISABLED (73) when {@code delete.topic.enable=false}.
 */
public final class TopicDeletion {
    private TopicDeletion() {
    }

    /**
     * Decides one DeleteTopics request against {@code image}: the records (empty when nothing is deleted) and one
     * result per named topic, names first, then ids, in request order.
     */
    public static ControllerResult<DeleteTopicsResponse> deleteTopics(MetadataImage image, DeleteTopicsRequest req,
                                                                      boolean deletionEnabled) {
        Map<String, Integer> occurrences = new HashMap<>();
        req.getNamesList().forEach(n -> occurrences.merge(n, 1, Integer::sum));
        req.getTopicIdsList().forEach(id -> occurrences.merge(Uuids.fromProto(id).toString(), 1, Integer::sum));
        Set<UUID> deleted = new HashSet<>();
        List<MetadataRecord> records = new ArrayList<>();
        DeleteTopicsResponse.Builder resp = DeleteTopicsResponse.newBuilder();
        for (String name : req.getNamesList()) {
            TopicImage t = image.topicsByName().get(name);
            ApiError e = occurrences.get(name) > 1 ? duplicate(name)
                    : t == null ? ApiError.of(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + name
                    + "' does not exist") : ApiError.NONE;
            resp.addTopics(result(name, t == null ? null : t.id(), delete(image, t, e, deletionEnabled, deleted,
                    records)));
        }
        for (var protoId : req.getTopicIdsList()) {
            UUID id = Uuids.fromProto(protoId);
            TopicImage t = image.topicsById().get(id);
            ApiError e = occurrences.get(id.toString()) > 1 ? duplicate(id.toString())
                    : t == null ? ApiError.of(ErrorCode.UNKNOWN_TOPIC_ID, "Topic id " + id + " does not exist")
                    : ApiError.NONE;
            resp.addTopics(result(t == null ? "" : t.name(), id, delete(image, t, e, deletionEnabled, deleted,
                    records)));
        }
        Set<String> names = new HashSet<>();
        deleted.forEach(id -> names.add(image.topicsById().get(id).name()));
        dropPendingTxnOffsets(image, names, records);
        return new ControllerResult<>(records, resp.build());
    }

    /**
     * Pending transactional offsets of the deleted topics go too: there is no record for one pending partition, so
     * each (group, producer) holding some gets a TxnOffsetsClearRecord followed by TxnOffsetCommitRecords restoring
     * its pending offsets of the other topics. Transactions' partition lists are left as they are.
     */
    private static void dropPendingTxnOffsets(MetadataImage image, Set<String> topics,
                                              List<MetadataRecord> records) {
        if (topics.isEmpty()) {
            return;
        }
        new TreeMap<>(image.pendingTxnOffsets()).forEach((group, producers) -> new TreeMap<>(producers).forEach(
                (producerId, offsets) -> {
                    if (offsets.keySet().stream().noneMatch(tp -> topics.contains(tp.topic()))) {
                        return;
                    }
                    records.add(TransactionWrites.clear(group, producerId));
                    new TreeMap<>(offsets).forEach((tp, o) -> {
                        if (!topics.contains(tp.topic())) {
                            records.add(MetadataRecord.newBuilder().setTxnOffsetCommit(TxnOffsetCommitRecord
                                    .newBuilder().setGroupId(group).setProducerId(producerId).setTopic(tp.topic())
                                    .setPartition(tp.partition()).setOffset(o.offset())
                                    .setLeaderEpoch(o.leaderEpoch()).setMetadata(o.metadata())
                                    .setCommitTimestampMs(o.commitTimestampMs())).build());
                        }
                    });
                }));
    }

    private static ApiError delete(MetadataImage image, TopicImage t, ApiError error, boolean enabled,
                                   Set<UUID> deleted, List<MetadataRecord> records) {
        if (!error.isSuccess()) {
            return error;
        }
        if (!enabled) {
            return ApiError.of(ErrorCode.TOPIC_DELETION_DISABLED, "Topic deletion is disabled "
                    + "(delete.topic.enable=false)");
        }
        if (!deleted.add(t.id())) {
            return ApiError.NONE; // named by both name and id: deleted once
        }
        records.add(MetadataRecord.newBuilder().setRemoveTopic(RemoveTopicRecord.newBuilder()
                .setTopicId(Uuids.toProto(t.id()))).build());
        for (Map.Entry<String, Map<TopicPartition, CommittedOffset>> g : new TreeMap<>(image.offsets()).entrySet()) {
            for (TopicPartition tp : new TreeMap<>(g.getValue()).keySet()) {
                if (tp.topic().equals(t.name())) {
                    records.add(Records.offsetDelete(g.getKey(), tp.topic(), tp.partition()));
                }
            }
        }
        return ApiError.NONE;
    }

    private static ApiError duplicate(String what) {
        return ApiError.of(ErrorCode.INVALID_REQUEST, "Duplicate topic " + what + " in the request");
    }

    private static DeleteTopicsResponse.Topic result(String name, UUID id, ApiError e) {
        DeleteTopicsResponse.Topic.Builder b = DeleteTopicsResponse.Topic.newBuilder().setName(name)
                .setErrorCode(e.error().code());
        if (id != null) {
            b.setTopicId(Uuids.toProto(id));
        }
        if (e.message() != null) {
            b.setErrorMessage(e.message());
        }
        return b.build();
    }
}
