package io.runnel.broker.replica;

import io.runnel.broker.purgatory.DelayedOperation;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * An acks=-1 produce waiting until the high watermark of every partition it appended to passes its last offset
 * (DESIGN.md section 6), or until {@code timeout_ms}: partitions still short then answer REQUEST_TIMED_OUT (7),
 * partitions whose leadership moved meanwhile NOT_LEADER_OR_FOLLOWER (6), and partitions whose high watermark passed
 * while the ISR had shrunk below {@code min.insync.replicas} NOT_ENOUGH_REPLICAS_AFTER_APPEND (20), as Kafka does. With
 * an ISR of just the leader it completes at once; otherwise it waits for the followers' fetches. Thread-safe.
 */
final class DelayedProduce extends DelayedOperation {
    private final Map<TopicPartition, ProducePartitionResult> initial;
    private final Function<TopicPartition, Partition> partitions;
    private final Set<TopicPartition> acknowledged = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, Errors> failed = new ConcurrentHashMap<>();
    private final CompletableFuture<Map<TopicPartition, ProducePartitionResult>> future;

    /**
     * @param initial    every partition's append result, in request order; failed ones are final
     * @param partitions looks up hosted partitions (null when gone)
     */
    DelayedProduce(long timeoutMs, Map<TopicPartition, ProducePartitionResult> initial,
                   Function<TopicPartition, Partition> partitions,
                   CompletableFuture<Map<TopicPartition, ProducePartitionResult>> future) {
        super(timeoutMs);
        this.initial = initial;
        this.partitions = partitions;
        this.future = future;
        initial.forEach((tp, r) -> {
            if (r.error() != Errors.NONE) {
                acknowledged.add(tp);
            }
        });
    }

    @Override
    public boolean tryComplete() {
        for (Map.Entry<TopicPartition, ProducePartitionResult> e : initial.entrySet()) {
            TopicPartition tp = e.getKey();
            if (acknowledged.contains(tp) || failed.containsKey(tp)) {
                continue;
            }
            Partition p = partitions.apply(tp);
            if (p == null || !p.isLeader()) {
                failed.put(tp, Errors.NOT_LEADER_OR_FOLLOWER);
            } else if (p.highWatermark() > e.getValue().lastOffset()) {
                if (p.state().isr().size() < p.settings().minInsyncReplicas()) {
                    failed.put(tp, Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
                } else {
                    acknowledged.add(tp);
                }
            } else {
                return false;
            }
        }
        return forceComplete();
    }

    @Override
    protected void onComplete() {
        Map<TopicPartition, ProducePartitionResult> results = new LinkedHashMap<>();
        initial.forEach((tp, r) -> {
            Errors error = failed.get(tp);
            if (error == Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND) {
                results.put(tp, r.withError(error, "the records were written to " + tp + " but its ISR shrank below"
                        + " min.insync.replicas before they were replicated"));
            } else if (error != null) {
                results.put(tp, r.withError(error, "leadership of " + tp + " moved before the records were"
                        + " replicated"));
            } else if (acknowledged.contains(tp)) {
                results.put(tp, r);
            } else {
                results.put(tp, r.withError(Errors.REQUEST_TIMED_OUT, "the high watermark of " + tp
                        + " did not reach offset " + (r.lastOffset() + 1) + " within " + delayMs() + " ms"));
            }
        });
        future.complete(results);
    }
}
