package io.runnel.metadata.controller;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.CommittedOffset;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.OffsetCommitRecord;
import io.runnel.metadata.rpc.CommitOffsetsRequest;
import io.runnel.metadata.rpc.CommitOffsetsResponse;
import io.runnel.metadata.rpc.DeleteOffsetsRequest;
import io.runnel.metadata.rpc.DeleteOffsetsResponse;
import io.runnel.metadata.rpc.PartitionResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Consumer-group offsets in the metadata log (Runnel's replacement of Kafka's {@code __consumer_offsets}): one
 * OffsetCommit (API key 8) becomes one batch of OffsetCommitRecords; OffsetDelete (47) and DeleteGroups (42) become
 * OffsetDeleteRecords. Group membership and generation checks belong to the group coordinator, not here.
 *
 * <p>Commit errors per partition: INVALID_GROUP_ID (24) for an empty group id; UNKNOWN_TOPIC_OR_PARTITION (3);
 * OFFSET_METADATA_TOO_LARGE (12) above {@code offset.metadata.max.bytes}; INVALID_REQUEST (42) for a negative offset.
 * Delete errors: INVALID_GROUP_ID (24); GROUP_ID_NOT_FOUND (69) when the group has no committed offsets.
 */
public final class OffsetCommits {
    /** Kafka's default {@code offset.metadata.max.bytes}. */
    public static final int DEFAULT_MAX_METADATA_BYTES = 4096;

    private OffsetCommits() {
    }

    public static ControllerResult<CommitOffsetsResponse> commit(MetadataImage image, CommitOffsetsRequest req,
                                                                 int maxMetadataBytes) {
        List<MetadataRecord> records = new ArrayList<>();
        CommitOffsetsResponse.Builder resp = CommitOffsetsResponse.newBuilder();
        for (CommitOffsetsRequest.Offset o : req.getOffsetsList()) {
            ApiError e = check(image, req.getGroupId(), o, maxMetadataBytes);
            resp.addPartitions(result(o.getTopic(), o.getPartition(), e));
            if (e.isSuccess()) {
                records.add(MetadataRecord.newBuilder().setOffsetCommit(OffsetCommitRecord.newBuilder()
                        .setGroupId(req.getGroupId()).setTopic(o.getTopic()).setPartition(o.getPartition())
                        .setOffset(o.getOffset()).setLeaderEpoch(o.getLeaderEpoch()).setMetadata(o.getMetadata())
                        .setCommitTimestampMs(req.getCommitTimestampMs())).build());
            }
        }
        return new ControllerResult<>(records, resp.build());
    }

    /** The error of committing {@code o} for {@code group}: 24, 3, 12 or 42 as above; NONE when valid. */
    static ApiError check(MetadataImage image, String group, CommitOffsetsRequest.Offset o, int maxBytes) {
        if (group.isEmpty()) {
            return ApiError.of(ErrorCode.INVALID_GROUP_ID, "The group id is empty");
        }
        TopicImage t = image.topicsByName().get(o.getTopic());
        if (t == null || t.partition(o.getPartition()) == null) {
            return ApiError.of(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Unknown partition " + o.getTopic() + "-"
                    + o.getPartition());
        }
        if (o.getMetadata().getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return ApiError.of(ErrorCode.OFFSET_METADATA_TOO_LARGE, "Offset metadata is longer than "
                    + maxBytes + " bytes");
        }
        if (o.getOffset() < 0) {
            return ApiError.of(ErrorCode.INVALID_REQUEST, "Offset must not be negative: " + o.getOffset());
        }
        return ApiError.NONE;
    }

    public static ControllerResult<DeleteOffsetsResponse> delete(MetadataImage image, DeleteOffsetsRequest req) {
        Map<TopicPartition, CommittedOffset> committed = image.offsets().get(req.getGroupId());
        ApiError top = req.getGroupId().isEmpty() ? ApiError.of(ErrorCode.INVALID_GROUP_ID, "The group id is empty")
                : committed == null ? ApiError.of(ErrorCode.GROUP_ID_NOT_FOUND, "Group '" + req.getGroupId()
                + "' has no committed offsets") : ApiError.NONE;
        if (!top.isSuccess()) {
            return new ControllerResult<>(List.of(), DeleteOffsetsResponse.newBuilder()
                    .setErrorCode(top.error().code()).setErrorMessage(top.message()).build());
        }
        List<TopicPartition> targets = new ArrayList<>();
        if (req.getDeleteGroup()) {
            targets.addAll(new TreeMap<>(committed).keySet());
        } else {
            req.getPartitionsList().forEach(p -> targets.add(new TopicPartition(p.getTopic(), p.getPartition())));
        }
        List<MetadataRecord> records = new ArrayList<>();
        DeleteOffsetsResponse.Builder resp = DeleteOffsetsResponse.newBuilder();
        for (TopicPartition tp : targets) {
            records.add(Records.offsetDelete(req.getGroupId(), tp.topic(), tp.partition()));
            resp.addPartitions(result(tp.topic(), tp.partition(), ApiError.NONE));
        }
        return new ControllerResult<>(records, resp.build());
    }

    /** One partition's result with the error code (and message, when there is one) of {@code e}. */
    static PartitionResult result(String topic, int partition, ApiError e) {
        PartitionResult.Builder b = PartitionResult.newBuilder().setTopic(topic).setPartition(partition)
                .setErrorCode(e.error().code());
        if (e.message() != null) {
            b.setErrorMessage(e.message());
        }
        return b.build();
    }
}
