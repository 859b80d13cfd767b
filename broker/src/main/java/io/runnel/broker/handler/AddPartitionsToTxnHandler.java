package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.txn.TransactionCoordinator;
import io.runnel.broker.txn.TransactionVerifier;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * AddPartitionsToTxn (key 24; KIP-98, KIP-890). Versions 0-3 come from producers: one transaction, whose partitions
 * the coordinator adds ({@link TransactionCoordinator#addPartitions}); PRODUCER_FENCED becomes
 * INVALID_PRODUCER_EPOCH (47) below v2 (KIP-588). Versions 4-5 are the broker form (KIP-890): several transactions,
 * each either added or, with {@code verify_only}, checked against the coordinator state
 * ({@link TransactionVerifier#check}, on this broker's image); a transaction this broker does not coordinate
 * gets NOT_COORDINATOR (16) for its partitions. Under transactions v2 (KIP-890 part 2) producers send no
 * AddPartitionsToTxn: the leader of a partition receiving a Produce v12 transactional batch adds it with v5 and
 * {@code verify_only} false, and a transaction opened so runs with client transaction version 2.
 */
public final class AddPartitionsToTxnHandler implements ApiHandler {
    private final TransactionCoordinator coordinator;
    private final Supplier<MetadataImage> image;

    /** @param image the coordinator's state, for the verify-only form */
    public AddPartitionsToTxnHandler(TransactionCoordinator coordinator, Supplier<MetadataImage> image) {
        this.coordinator = coordinator;
        this.image = image;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_PARTITIONS_TO_TXN;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        AddPartitionsToTxnRequestData data = (AddPartitionsToTxnRequestData) request.body();
        short v = request.version();
        if (v <= 3) {
            List<TopicPartition> tps = partitions(data.v3AndBelowTopics());
            return coordinator.addPartitions(data.v3AndBelowTransactionalId(), data.v3AndBelowProducerId(),
                    data.v3AndBelowProducerEpoch(), tps, 1).thenApply(errors -> ApiResponse.send(
                    new AddPartitionsToTxnResponseData().setThrottleTimeMs(0)
                            .setResultsByTopicV3AndBelow(results(errors, v))));
        }
        List<CompletableFuture<AddPartitionsToTxnResult>> results = new ArrayList<>();
        for (AddPartitionsToTxnTransaction t : data.transactions()) {
            List<TopicPartition> tps = partitions(t.topics());
            CompletableFuture<Map<TopicPartition, Errors>> errors;
            if (!coordinator.isCoordinator(t.transactionalId())) {
                errors = CompletableFuture.completedFuture(all(tps, Errors.NOT_COORDINATOR));
            } else if (t.verifyOnly()) {
                errors = CompletableFuture.completedFuture(verifyAll(t, tps));
            } else {
                // v5 without verify_only: a partition leader adding a Produce v12 batch's partition (transactions v2)
                errors = coordinator.addPartitions(t.transactionalId(), t.producerId(), t.producerEpoch(), tps,
                        v >= 5 ? 2 : 1);
            }
            results.add(errors.thenApply(e -> new AddPartitionsToTxnResult().setTransactionalId(t.transactionalId())
                    .setTopicResults(results(e, v))));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(x -> {
            AddPartitionsToTxnResponseData out = new AddPartitionsToTxnResponseData().setThrottleTimeMs(0)
                    .setErrorCode(Errors.NONE.code());
            results.forEach(r -> out.resultsByTransaction().add(r.join()));
            return ApiResponse.send(out);
        });
    }

    /** The verify-only form, answered from this coordinator's state (its image holds every write it answered). */
    private Map<TopicPartition, Errors> verifyAll(AddPartitionsToTxnTransaction t, List<TopicPartition> tps) {
        Map<TopicPartition, Errors> out = new LinkedHashMap<>();
        MetadataImage img = image.get();
        tps.forEach(tp -> out.put(tp, TransactionVerifier.check(img, t.transactionalId(), t.producerId(),
                t.producerEpoch(), tp)));
        return out;
    }

    private static List<TopicPartition> partitions(Iterable<AddPartitionsToTxnTopic> topics) {
        List<TopicPartition> out = new ArrayList<>();
        for (AddPartitionsToTxnTopic t : topics) {
            t.partitions().forEach(p -> out.add(new TopicPartition(t.name(), p)));
        }
        return out;
    }

    private static Map<TopicPartition, Errors> all(List<TopicPartition> tps, Errors error) {
        Map<TopicPartition, Errors> out = new LinkedHashMap<>();
        tps.forEach(tp -> out.put(tp, error));
        return out;
    }

    private static AddPartitionsToTxnTopicResultCollection results(Map<TopicPartition, Errors> errors, short v) {
        AddPartitionsToTxnTopicResultCollection out = new AddPartitionsToTxnTopicResultCollection();
        errors.forEach((tp, error) -> {
            AddPartitionsToTxnTopicResult topic = out.find(tp.topic());
            if (topic == null) {
                topic = new AddPartitionsToTxnTopicResult().setName(tp.topic());
                out.add(topic);
            }
            Errors e = error == Errors.PRODUCER_FENCED && v < 2 ? Errors.INVALID_PRODUCER_EPOCH : error;
            topic.resultsByPartition().add(new AddPartitionsToTxnPartitionResult().setPartitionIndex(tp.partition())
                    .setPartitionErrorCode(e.code()));
        });
        return out;
    }
}
