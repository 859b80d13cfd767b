package io.runnel.broker.replica;

import io.runnel.broker.purgatory.DelayedOperation;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A DeleteRecords request (KIP-107) waiting until the low watermark of every partition it moved (the minimum log
 * start offset over the leader and its in-sync followers, which report theirs in each Fetch) reaches the requested
 * offset, or until {@code timeout_ms}: partitions still short then answer REQUEST_TIMED_OUT (7) with low watermark
 * -1, partitions whose leadership moved meanwhile NOT_LEADER_OR_FOLLOWER (6), as Kafka does. Woken by followers'
 * fetches that raise their log start offset and by leadership changes. Thread-safe.
 */
final class DelayedDeleteRecords extends DelayedOperation {
    private final Map<TopicPartition, DeleteRecordsPartitionResult> initial;
    private final Function<TopicPartition, Partition> partitions;
    private final Map<TopicPartition, DeleteRecordsPartitionResult> done = new ConcurrentHashMap<>();
    private final CompletableFuture<Map<TopicPartition, DeleteRecordsPartitionResult>> future;

    /**
     * @param timeoutMs  {@code timeout_ms} of the request
     * @param initial    every partition's result on the leader, in request order; failed ones are final
     * @param partitions looks up hosted partitions (null when gone)
     */
    DelayedDeleteRecords(long timeoutMs, Map<TopicPartition, DeleteRecordsPartitionResult> initial,
                         Function<TopicPartition, Partition> partitions,
                         CompletableFuture<Map<TopicPartition, DeleteRecordsPartitionResult>> future) {
        super(timeoutMs);
        this.initial = initial;
        this.partitions = partitions;
        this.future = future;
        initial.forEach((tp, r) -> {
            if (r.error() != Errors.NONE) {
                done.put(tp, r);
            }
        });
    }

    @Override
    public boolean tryComplete() {
        boolean waiting = false;
        for (Map.Entry<TopicPartition, DeleteRecordsPartitionResult> e : initial.entrySet()) {
            TopicPartition tp = e.getKey();
            if (done.containsKey(tp)) {
                continue;
            }
            Partition p = partitions.apply(tp);
            if (p == null || !p.isLeader()) {
                done.put(tp, DeleteRecordsPartitionResult.error(Errors.NOT_LEADER_OR_FOLLOWER, "leadership of " + tp
                        + " moved before every in-sync replica deleted the records"));
                continue;
            }
            long low = p.lowWatermark();
            if (low >= e.getValue().requestedOffset()) {
                done.put(tp, e.getValue().withLowWatermark(low));
            } else {
                waiting = true;
            }
        }
        return !waiting && forceComplete();
    }

    @Override
    protected void onComplete() {
        Map<TopicPartition, DeleteRecordsPartitionResult> results = new LinkedHashMap<>();
        initial.forEach((tp, r) -> results.put(tp, done.getOrDefault(tp, DeleteRecordsPartitionResult.error(
                Errors.REQUEST_TIMED_OUT, "the low watermark of " + tp + " did not reach offset "
                        + r.requestedOffset() + " within " + delayMs() + " ms"))));
        future.complete(results);
    }
}
