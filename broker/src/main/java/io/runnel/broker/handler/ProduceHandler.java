package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.txn.TransactionVerifier;
import io.runnel.broker.replica.ProducePartitionResult;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.BatchIndexAndErrorMessage;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.MemoryRecords;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Produce (key 0; served v3-12, v0-2 answered by the codec): appends each partition's batch through the
 * {@link ReplicaManager} (validation and idempotence as DESIGN.md section 3).
 * <ul>
 *   <li>acks other than -1, 0, 1: INVALID_REQUIRED_ACKS (21) for every partition;</li>
 *   <li>transactional batches (KIP-98): a producer's first batch of a transaction on a partition is appended only
 *       once the coordinator's state shows the partition in its ongoing transaction (KIP-890 server-side
 *       verification, {@link TransactionVerifier}); else INVALID_TXN_STATE (48) or INVALID_PRODUCER_EPOCH (47),
 *       nothing appended. Under transactions v2 (v12 while {@code transaction.version} is 2; KIP-890 part 2) the
 *       producer sent no AddPartitionsToTxn: this leader adds the partition at the coordinator instead (same
 *       path), answering NOT_ENOUGH_REPLICAS (19, retriable) while the coordinator is busy or unreachable;</li>
 *   <li>acks=0: no response at all; if a partition failed, the connection is closed instead, as Kafka does, so
 *       that the producer refreshes its metadata;</li>
 *   <li>acks=-1: answered once the high watermark covers the records or {@code timeout_ms} passed;</li>
 *   <li>a batch refused for single records (e.g. keyless records on a compacted topic: INVALID_RECORD) names them
 *       in {@code record_errors} (v8+, KIP-467); older versions get the error code alone.</li>
 * </ul>
 */
public final class ProduceHandler implements ApiHandler {
    private final ReplicaManager replicas;
    private final TransactionVerifier verifier;
    private final boolean transactionsV2;

    /**
     * @param transactionsV2 {@code transaction.version} is 2: a Produce v12+ transactional batch's partition is added
     *                       to the transaction by this leader (KIP-890 part 2) instead of verified
     */
    public ProduceHandler(ReplicaManager replicas, TransactionVerifier verifier, boolean transactionsV2) {
        this.replicas = replicas;
        this.verifier = verifier;
        this.transactionsV2 = transactionsV2;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        ProduceRequestData data = (ProduceRequestData) request.body();
        short acks = data.acks();
        Map<TopicPartition, ByteBuffer> records = new LinkedHashMap<>();
        for (TopicProduceData topic : data.topicData()) {
            for (PartitionProduceData partition : topic.partitionData()) {
                records.put(new TopicPartition(topic.name(), partition.index()), buffer(partition.records()));
            }
        }
        CompletableFuture<Map<TopicPartition, ProducePartitionResult>> results;
        if (acks != -1 && acks != 0 && acks != 1) {
            Map<TopicPartition, ProducePartitionResult> refused = new LinkedHashMap<>();
            records.keySet().forEach(tp -> refused.put(tp, ProducePartitionResult.error(Errors.INVALID_REQUIRED_ACKS,
                    "acks must be -1, 0 or 1, not " + acks)));
            results = CompletableFuture.completedFuture(refused);
        } else {
            // verified before this handler returns: the connection's next Produce (the producer's next pipelined
            // batch) must not be appended before this one
            Map<TopicPartition, ProducePartitionResult> refused = TransactionalAppends.verifyNow(replicas, verifier,
                    data.transactionalId(), records, transactionsV2 && request.version() >= 12);
            Map<TopicPartition, ByteBuffer> rest = new LinkedHashMap<>(records);
            rest.keySet().removeAll(refused.keySet());
            results = replicas.appendRecords(acks, data.timeoutMs(), rest).thenApply(appended -> {
                Map<TopicPartition, ProducePartitionResult> all = new LinkedHashMap<>();
                records.keySet().forEach(tp -> all.put(tp, refused.containsKey(tp) ? refused.get(tp)
                        : appended.get(tp)));
                return all;
            });
        }
        return results.thenApply(r -> acks == 0 ? noResponse(r) : ApiResponse.send(response(r)));
    }

    private static ByteBuffer buffer(BaseRecords records) {
        if (records instanceof MemoryRecords memory) {
            return memory.buffer();
        }
        return ByteBuffer.allocate(0);
    }

    private static ApiResponse noResponse(Map<TopicPartition, ProducePartitionResult> results) {
        for (Map.Entry<TopicPartition, ProducePartitionResult> e : results.entrySet()) {
            if (e.getValue().error() != Errors.NONE) {
                return ApiResponse.close("acks=0 produce to " + e.getKey() + " failed with " + e.getValue().error()
                        + ": " + e.getValue().message());
            }
        }
        return ApiResponse.none();
    }

    private static ProduceResponseData response(Map<TopicPartition, ProducePartitionResult> results) {
        ProduceResponseData response = new ProduceResponseData().setThrottleTimeMs(0);
        Map<String, TopicProduceResponse> topics = new LinkedHashMap<>();
        results.forEach((tp, r) -> {
            TopicProduceResponse topic = topics.computeIfAbsent(tp.topic(), name -> {
                TopicProduceResponse t = new TopicProduceResponse().setName(name);
                response.responses().add(t);
                return t;
            });
            List<BatchIndexAndErrorMessage> recordErrors = new ArrayList<>();
            r.recordErrors().forEach(e -> recordErrors.add(new BatchIndexAndErrorMessage()
                    .setBatchIndex(e.batchIndex()).setBatchIndexErrorMessage(e.message())));
            topic.partitionResponses().add(new PartitionProduceResponse()
                    .setIndex(tp.partition())
                    .setErrorCode(r.error().code())
                    .setErrorMessage(r.error() == Errors.NONE ? null : r.message())
                    .setBaseOffset(r.baseOffset())
                    .setLogAppendTimeMs(r.logAppendTime())
                    .setLogStartOffset(r.logStartOffset())
                    .setRecordErrors(recordErrors));
        });
        return response;
    }
}
