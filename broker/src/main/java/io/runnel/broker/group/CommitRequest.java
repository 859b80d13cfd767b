package io.runnel.broker.group;

import io.runnel.metadata.image.TopicPartition;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An OffsetCommit (API key 8) as the coordinator needs it.
 *
 * @param groupId         the group
 * @param generationId    the member's generation, or -1 for a commit outside group management (a consumer using
 *                        {@code assign()}, or Admin's alterConsumerGroupOffsets)
 * @param memberId        the member, or {@code ""} outside group management
 * @param groupInstanceId a static member's {@code group.instance.id} (v7+), or null
 * @param offsets         what to commit, in request order
 */
public record CommitRequest(String groupId, int generationId, String memberId, String groupInstanceId,
                            Map<TopicPartition, OffsetToCommit> offsets) {
    public CommitRequest {
        Objects.requireNonNull(groupId, "groupId");
        memberId = memberId == null ? "" : memberId;
        offsets = new LinkedHashMap<>(offsets);
    }

    @Override
    public Map<TopicPartition, OffsetToCommit> offsets() {
        return java.util.Collections.unmodifiableMap(offsets);
    }
}
