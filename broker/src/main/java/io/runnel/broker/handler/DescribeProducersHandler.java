package io.runnel.broker.handler;

import io.runnel.broker.producer.ProducerStateEntry;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.Partition;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData.PartitionResponse;
import org.apache.kafka.common.message.DescribeProducersResponseData.ProducerState;
import org.apache.kafka.common.message.DescribeProducersResponseData.TopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.Comparator;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeProducers (key 61, v0; KIP-664): the producer state of each partition this broker leads: producer id,
 * epoch, last sequence, last timestamp (ms), the coordinator epoch of its last marker, and the first offset of its
 * open transaction here (-1 when none) — what {@code find-hanging} looks at. Per partition: NOT_LEADER_OR_FOLLOWER
 * (6) on a follower, UNKNOWN_TOPIC_OR_PARTITION (3) when not hosted.
 */
public final class DescribeProducersHandler implements ApiHandler {
    private final ReplicaManager replicas;

    public DescribeProducersHandler(ReplicaManager replicas) {
        this.replicas = replicas;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_PRODUCERS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        DescribeProducersRequestData d = (DescribeProducersRequestData) request.body();
        DescribeProducersResponseData out = new DescribeProducersResponseData().setThrottleTimeMs(0);
        for (DescribeProducersRequestData.TopicRequest t : d.topics()) {
            TopicResponse topic = new TopicResponse().setName(t.name());
            for (int index : t.partitionIndexes()) {
                topic.partitions().add(partition(new TopicPartition(t.name(), index)));
            }
            out.topics().add(topic);
        }
        return CompletableFuture.completedFuture(ApiResponse.send(out));
    }

    private PartitionResponse partition(TopicPartition tp) {
        PartitionResponse r = new PartitionResponse().setPartitionIndex(tp.partition());
        Partition p = replicas.partition(tp);
        if (p == null) {
            Errors missing = replicas.fetchOffsetForTimestamp(tp, -1L, -1).error();
            return r.setErrorCode((missing == Errors.NONE ? Errors.UNKNOWN_TOPIC_OR_PARTITION : missing).code())
                    .setErrorMessage(tp + " is not hosted by broker " + replicas.brokerId());
        }
        if (!p.isLeader()) {
            return r.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code()).setErrorMessage("broker "
                    + replicas.brokerId() + " is not the leader of " + tp);
        }
        p.producers().stream().sorted(Comparator.comparingLong(ProducerStateEntry::producerId)).forEach(e ->
                r.activeProducers().add(new ProducerState().setProducerId(e.producerId())
                        .setProducerEpoch(e.epoch()).setLastSequence(e.lastSeq())
                        .setLastTimestamp(e.lastTimestamp()).setCoordinatorEpoch(e.coordinatorEpoch())
                        .setCurrentTxnStartOffset(e.currentTxnFirstOffset())));
        return r.setErrorCode(Errors.NONE.code()).setErrorMessage(null);
    }
}
