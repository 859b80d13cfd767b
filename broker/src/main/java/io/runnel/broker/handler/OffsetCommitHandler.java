package io.runnel.broker.handler;

import io.runnel.broker.group.CommitRequest;
import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.OffsetToCommit;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetCommit (key 8, v2-9): one request's offsets become one batch of records in the metadata log (DESIGN.md
 * section 7), answered once this broker's image holds them. v2-4's {@code retention_time_ms} is ignored: offsets
 * expire per group after {@code offsets.retention.minutes} (KIP-211); v6+ carries the leader epoch (KIP-320); v7+
 * {@code group.instance.id}. A member's commit to a group this coordinator does not know gets ILLEGAL_GENERATION (22)
 * in every version (the member rejoins; Kafka's v9+ GROUP_ID_NOT_FOUND would be fatal to classic consumers after a
 * coordinator change, since Runnel keeps membership in memory only). Per-partition errors: see
 * {@link GroupCoordinator#commit}.
 */
public final class OffsetCommitHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public OffsetCommitHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_COMMIT;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        OffsetCommitRequestData d = (OffsetCommitRequestData) request.body();
        short v = request.version();
        Map<TopicPartition, OffsetToCommit> offsets = new LinkedHashMap<>();
        for (OffsetCommitRequestTopic t : d.topics()) {
            for (OffsetCommitRequestPartition p : t.partitions()) {
                offsets.put(new TopicPartition(t.name(), p.partitionIndex()), new OffsetToCommit(p.committedOffset(),
                        v >= 6 ? p.committedLeaderEpoch() : -1, p.committedMetadata()));
            }
        }
        CommitRequest commit = new CommitRequest(d.groupId(), d.generationIdOrMemberEpoch(), d.memberId(),
                v >= 7 ? d.groupInstanceId() : null, offsets);
        return coordinator.commit(commit).thenApply(results -> ApiResponse.send(response(d, results)));
    }

    private static OffsetCommitResponseData response(OffsetCommitRequestData d, Map<TopicPartition, Errors> results) {
        OffsetCommitResponseData out = new OffsetCommitResponseData().setThrottleTimeMs(0);
        for (OffsetCommitRequestTopic t : d.topics()) {
            OffsetCommitResponseTopic topic = new OffsetCommitResponseTopic().setName(t.name());
            for (OffsetCommitRequestPartition p : t.partitions()) {
                Errors e = results.getOrDefault(new TopicPartition(t.name(), p.partitionIndex()),
                        Errors.UNKNOWN_SERVER_ERROR);
                topic.partitions().add(new OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex())
                        .setErrorCode(e.code()));
            }
            out.topics().add(topic);
        }
        return out;
    }
}
