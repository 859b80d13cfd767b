package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.DeleteRecordsPartitionResult;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteRecords (key 21, v0-2, v2 flexible; KIP-107): per partition, the leader moves its log start offset to
 * {@code offset} (-1: the high watermark; at or below the current log start: nothing changes), deleting the
 * segments wholly below it; followers follow through the {@code log_start_offset} of their Fetch responses. The
 * answer waits until the partition's low watermark (the minimum log start offset over the leader and its in-sync
 * followers) reaches the offset, at most {@code timeout_ms} (ms), and carries it as {@code low_watermark}. Errors per
 * partition: UNKNOWN_TOPIC_OR_PARTITION (3), NOT_LEADER_OR_FOLLOWER (6) on a broker that does not lead it,
 * OFFSET_OUT_OF_RANGE (1) above the high watermark or below -1, POLICY_VIOLATION (44) on a compacted-only topic,
 * REQUEST_TIMED_OUT (7) when the followers did not follow in time (the leader's records are deleted anyway).
 * A partition listed twice is deleted to its last offset and answered once. No authorization (Runnel has no ACLs).
 */
public final class DeleteRecordsHandler implements ApiHandler {
    private final ReplicaManager replicas;

    public DeleteRecordsHandler(ReplicaManager replicas) {
        this.replicas = replicas;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_RECORDS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        DeleteRecordsRequestData data = (DeleteRecordsRequestData) request.body();
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (DeleteRecordsTopic topic : data.topics()) {
            for (DeleteRecordsPartition p : topic.partitions()) {
                offsets.put(new TopicPartition(topic.name(), p.partitionIndex()), p.offset());
            }
        }
        return replicas.deleteRecords(Math.max(0, data.timeoutMs()), offsets)
                .thenApply(results -> ApiResponse.send(response(results)));
    }

    private static DeleteRecordsResponseData response(Map<TopicPartition, DeleteRecordsPartitionResult> results) {
        DeleteRecordsResponseData response = new DeleteRecordsResponseData().setThrottleTimeMs(0);
        results.forEach((tp, r) -> {
            DeleteRecordsTopicResult topic = response.topics().find(tp.topic());
            if (topic == null) {
                topic = new DeleteRecordsTopicResult().setName(tp.topic());
                response.topics().add(topic);
            }
            topic.partitions().add(new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                    .setPartitionIndex(tp.partition())
                    .setLowWatermark(r.lowWatermark())
                    .setErrorCode(r.error().code()));
        });
        return response;
    }
}
