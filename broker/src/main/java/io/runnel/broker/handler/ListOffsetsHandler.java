package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.OffsetLookupResult;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * ListOffsets (key 2, v1-7; KIP-79, KIP-734): per partition, -2 the log start offset, -1 the high watermark (the
 * last stable offset is the same without transactions), -3 the record with the largest timestamp (v7), otherwise
 * the first record at or after the timestamp, exact inside compressed batches; the leader epoch from v4; offsets at or above the high
 * watermark are not answered (offset -1). A partition listed twice gets INVALID_REQUEST (42), as in Kafka. A new
 * leader whose high watermark has not yet reached the start of its epoch answers a consumer's (replica id -1)
 * LATEST with OFFSET_NOT_AVAILABLE (78; LEADER_NOT_AVAILABLE before v5), which clients retry (KIP-207).
 */
public final class ListOffsetsHandler implements ApiHandler {
    private final ReplicaManager replicas;

    public ListOffsetsHandler(ReplicaManager replicas) {
        this.replicas = replicas;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_OFFSETS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        ListOffsetsRequestData data = (ListOffsetsRequestData) request.body();
        ListOffsetsResponseData response = new ListOffsetsResponseData().setThrottleTimeMs(0);
        Set<TopicPartition> seen = new HashSet<>();
        Set<TopicPartition> duplicates = new HashSet<>();
        for (ListOffsetsTopic topic : data.topics()) {
            for (ListOffsetsPartition p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                if (!seen.add(tp)) {
                    duplicates.add(tp);
                }
            }
        }
        boolean fromConsumer = data.replicaId() == ListOffsetsRequest.CONSUMER_REPLICA_ID;
        for (ListOffsetsTopic topic : data.topics()) {
            ListOffsetsTopicResponse t = new ListOffsetsTopicResponse().setName(topic.name());
            for (ListOffsetsPartition p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                OffsetLookupResult r = duplicates.contains(tp) ? OffsetLookupResult.error(Errors.INVALID_REQUEST)
                        : replicas.fetchOffsetForTimestamp(tp, p.timestamp(), p.currentLeaderEpoch(), fromConsumer,
                                fromConsumer && data.isolationLevel() == 1);
                Errors error = r.error() == Errors.OFFSET_NOT_AVAILABLE && request.version() < 5
                        ? Errors.LEADER_NOT_AVAILABLE : r.error();
                t.partitions().add(new ListOffsetsPartitionResponse()
                        .setPartitionIndex(p.partitionIndex())
                        .setErrorCode(error.code())
                        .setTimestamp(r.timestamp())
                        .setOffset(r.offset())
                        .setLeaderEpoch(request.version() >= 4 ? r.leaderEpoch() : -1));
            }
            response.topics().add(t);
        }
        return CompletableFuture.completedFuture(ApiResponse.send(response));
    }
}
