package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.txn.TransactionCoordinator;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.image.TransactionState;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TopicData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.CompletableFuture;

/**
 * DescribeTransactions (key 65, v0; KIP-664): the coordinator's state of each transactional id, from this broker's
 * image: state (Kafka's names), timeout (ms), start time (epoch ms, -1 when none is open), producer id and epoch,
 * partitions. Per id: NOT_COORDINATOR (16) when another broker coordinates it, TRANSACTIONAL_ID_NOT_FOUND (105) when
 * the id is unknown.
 */
public final class DescribeTransactionsHandler implements ApiHandler {
    private final TransactionCoordinator coordinator;

    public DescribeTransactionsHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        DescribeTransactionsRequestData d = (DescribeTransactionsRequestData) request.body();
        DescribeTransactionsResponseData out = new DescribeTransactionsResponseData().setThrottleTimeMs(0);
        for (String id : d.transactionalIds()) {
            DescribeTransactionsResponseData.TransactionState s = new DescribeTransactionsResponseData
                    .TransactionState().setTransactionalId(id).setTransactionState("").setProducerId(-1L)
                    .setProducerEpoch((short) -1).setTransactionStartTimeMs(-1L);
            TransactionState t = coordinator.state(id);
            if (!coordinator.isCoordinator(id)) {
                s.setErrorCode(Errors.NOT_COORDINATOR.code());
            } else if (t == null) {
                s.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
            } else {
                s.setErrorCode(Errors.NONE.code()).setTransactionState(t.state().kafkaName())
                        .setTransactionTimeoutMs(t.timeoutMs()).setTransactionStartTimeMs(t.txnStartMs())
                        .setProducerId(t.producerId()).setProducerEpoch((short) t.producerEpoch());
                for (TopicPartition tp : t.partitions()) {
                    TopicData topic = s.topics().find(tp.topic());
                    if (topic == null) {
                        topic = new TopicData().setTopic(tp.topic());
                        s.topics().add(topic);
                    }
                    topic.partitions().add(tp.partition());
                }
            }
            out.transactionStates().add(s);
        }
        return CompletableFuture.completedFuture(ApiResponse.send(out));
    }
}
