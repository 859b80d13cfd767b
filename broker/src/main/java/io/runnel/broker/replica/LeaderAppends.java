package io.runnel.broker.replica;

import io.runnel.broker.purgatory.DelayedOperationPurgatory;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Appends as partition leader for the replica manager: Produce batches and transaction markers alike go through
 * {@link #append}, one function per partition, and with acks=-1 wait in the produce purgatory until every appended
 * partition's high watermark has passed what was appended (DESIGN.md section 6). Thread-safe.
 */
final class LeaderAppends {
    private final int brokerId;
    private final Function<TopicPartition, Partition> partitions;
    private final FetchReader reader;
    private final DelayedOperationPurgatory<TopicPartition> producePurgatory;
    private final DelayedOperationPurgatory<TopicPartition> fetchPurgatory;

    LeaderAppends(int brokerId, Function<TopicPartition, Partition> partitions, FetchReader reader,
                  DelayedOperationPurgatory<TopicPartition> producePurgatory,
                  DelayedOperationPurgatory<TopicPartition> fetchPurgatory) {
        this.brokerId = brokerId;
        this.partitions = partitions;
        this.reader = reader;
        this.producePurgatory = producePurgatory;
        this.fetchPurgatory = fetchPurgatory;
    }

    /**
     * Applies each partition's append (NOT_LEADER_OR_FOLLOWER or UNKNOWN_TOPIC_OR_PARTITION where it is not hosted),
     * wakes fetches waiting on replicated partitions, and with acks=-1 completes once the appended records are below
     * the high watermarks, or after {@code timeoutMs} (REQUEST_TIMED_OUT for those still short).
     *
     * @return results in the order given
     */
    CompletableFuture<Map<TopicPartition, ProducePartitionResult>> append(
            Map<TopicPartition, Function<Partition, ProducePartitionResult>> appends, short acks, long timeoutMs) {
        Map<TopicPartition, ProducePartitionResult> results = new LinkedHashMap<>();
        boolean anyAppended = false;
        for (Map.Entry<TopicPartition, Function<Partition, ProducePartitionResult>> e : appends.entrySet()) {
            TopicPartition tp = e.getKey();
            Partition p = partitions.apply(tp);
            ProducePartitionResult r;
            if (p == null) {
                FetchPartitionData missing = reader.missing(tp);
                r = ProducePartitionResult.error(missing.error(), "broker " + brokerId
                        + " does not lead " + tp);
            } else {
                r = e.getValue().apply(p);
                if (r.error() == Errors.NONE && p.state().replicas().size() > 1) {
                    fetchPurgatory.checkAndComplete(tp);
                }
            }
            anyAppended |= r.error() == Errors.NONE;
            results.put(tp, r);
        }
        if (acks != -1 || !anyAppended) {
            return CompletableFuture.completedFuture(results);
        }
        CompletableFuture<Map<TopicPartition, ProducePartitionResult>> future = new CompletableFuture<>();
        DelayedProduce delayed = new DelayedProduce(timeoutMs, results, partitions, future);
        producePurgatory.tryCompleteElseWatch(delayed, List.copyOf(results.keySet()));
        return future;
    }

}
