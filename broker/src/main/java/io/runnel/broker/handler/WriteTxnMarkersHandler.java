package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * WriteTxnMarkers (key 27, v1-2; KIP-98; v2 carries the transaction version, KIP-890 part 2; KIP-664 for the admin
 * client's abortTransaction): from a transaction coordinator, or from an administrator aborting a hanging transaction, appends each marker's COMMIT or ABORT control
 * batch to the listed partitions this broker leads, answering once the markers are replicated to the ISR. Per
 * partition: NONE, NOT_LEADER_OR_FOLLOWER (6), UNKNOWN_TOPIC_OR_PARTITION (3), NOT_ENOUGH_REPLICAS (19, nothing
 * appended) or NOT_ENOUGH_REPLICAS_AFTER_APPEND (20), INVALID_PRODUCER_EPOCH (47, a marker
 * older than the producer's epoch), TRANSACTION_COORDINATOR_FENCED (52), REQUEST_TIMED_OUT (7).
 */
public final class WriteTxnMarkersHandler implements ApiHandler {
    private static final long TIMEOUT_MS = 30_000;
    private final ReplicaManager replicas;

    public WriteTxnMarkersHandler(ReplicaManager replicas) {
        this.replicas = replicas;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.WRITE_TXN_MARKERS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        WriteTxnMarkersRequestData data = (WriteTxnMarkersRequestData) request.body();
        List<CompletableFuture<WritableTxnMarkerResult>> results = new ArrayList<>();
        for (WritableTxnMarker m : data.markers()) {
            List<TopicPartition> tps = new ArrayList<>();
            m.topics().forEach(t -> t.partitionIndexes().forEach(p -> tps.add(new TopicPartition(t.name(), p))));
            results.add(replicas.appendTxnMarkers(m.producerId(), m.producerEpoch(), m.coordinatorEpoch(),
                    m.transactionResult(), tps, TIMEOUT_MS, m.transactionVersion()).thenApply(r -> {
                        Map<String, WritableTxnMarkerTopicResult> topics = new LinkedHashMap<>();
                        WritableTxnMarkerResult out = new WritableTxnMarkerResult().setProducerId(m.producerId());
                        r.forEach((tp, pr) -> topics.computeIfAbsent(tp.topic(), name -> {
                            WritableTxnMarkerTopicResult t = new WritableTxnMarkerTopicResult().setName(name);
                            out.topics().add(t);
                            return t;
                        }).partitions().add(new WritableTxnMarkerPartitionResult().setPartitionIndex(tp.partition())
                                .setErrorCode(pr.error().code())));
                        return out;
                    }));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(x -> {
            WriteTxnMarkersResponseData out = new WriteTxnMarkersResponseData();
            results.forEach(r -> out.markers().add(r.join()));
            return ApiResponse.send(out);
        });
    }
}
