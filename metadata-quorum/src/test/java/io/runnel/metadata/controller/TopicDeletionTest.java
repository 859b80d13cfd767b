package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerFixtures.apply;
import static io.runnel.metadata.controller.PartitionLeadershipTest.withPartition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.rpc.CommitOffsetsRequest;
import io.runnel.metadata.rpc.DeleteTopicsRequest;
import io.runnel.metadata.rpc.DeleteTopicsResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TopicDeletionTest {
    private static MetadataImage withOffsets() {
        MetadataImage image = withPartition(List.of(1), List.of(1), 1);
        return apply(image, OffsetCommits.commit(image, CommitOffsetsRequest.newBuilder().setGroupId("g")
                .addOffsets(CommitOffsetsRequest.Offset.newBuilder().setTopic("t").setPartition(0).setOffset(5))
                .build(), 4096).records());
    }

    @Test
    void deletingATopicRemovesItsPartitionsConfigsAndCommittedOffsets() {
        MetadataImage image = withOffsets();
        assertTrue(image.offsets().get("g").containsKey(new TopicPartition("t", 0)));
        ControllerResult<DeleteTopicsResponse> r = TopicDeletion.deleteTopics(image, DeleteTopicsRequest
                .newBuilder().addNames("t").addTopicIds(Uuids.toProto(new UUID(7, 7))).build(), true);
        assertEquals(List.of(0, 0), r.response().getTopicsList().stream().map(t -> t.getErrorCode()).toList());
        MetadataImage after = apply(image, r.records());
        assertFalse(after.topicsByName().containsKey("t"));
        assertFalse(after.offsets().containsKey("g"));
    }

    @Test
    void errors() {
        MetadataImage image = withOffsets();
        DeleteTopicsResponse r = TopicDeletion.deleteTopics(image, DeleteTopicsRequest.newBuilder().addNames("x")
                .addNames("t").addNames("t").addTopicIds(Uuids.toProto(new UUID(3, 3))).build(), true).response();
        assertEquals(List.of((int) ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(), (int) ErrorCode.INVALID_REQUEST.code(),
                (int) ErrorCode.INVALID_REQUEST.code(), (int) ErrorCode.UNKNOWN_TOPIC_ID.code()),
                r.getTopicsList().stream().map(t -> t.getErrorCode()).toList());
        assertEquals(ErrorCode.TOPIC_DELETION_DISABLED.code(), TopicDeletion.deleteTopics(image,
                DeleteTopicsRequest.newBuilder().addNames("t").build(), false).response().getTopics(0)
                .getErrorCode());
    }
}
