package io.runnel.broker.replica;

import io.runnel.broker.purgatory.DelayedOperationPurgatory;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * DeleteRecords (key 21, KIP-107) on the partitions this broker leads: moves each leader's log start offset
 * ({@link LogStartOffsets#deleteAsLeader}), then waits in a purgatory until every in-sync follower followed
 * ({@link DelayedDeleteRecords}). Thread-safe.
 */
final class RecordDeletions {
    private final Function<TopicPartition, Partition> partitions;
    private final Function<TopicPartition, Errors> missing;
    private final DelayedOperationPurgatory<TopicPartition> purgatory;

    /**
     * @param partitions looks up hosted partitions (null when not hosted)
     * @param missing    the error for a partition not hosted: UNKNOWN_TOPIC_OR_PARTITION or NOT_LEADER_OR_FOLLOWER
     * @param timer      expires waiting requests; shared, not owned
     */
    RecordDeletions(Function<TopicPartition, Partition> partitions, Function<TopicPartition, Errors> missing,
                    ScheduledExecutorService timer) {
        this.partitions = partitions;
        this.missing = missing;
        this.purgatory = new DelayedOperationPurgatory<>("DeleteRecords", timer);
    }

    /** See {@link ReplicaManager#deleteRecords}. */
    CompletableFuture<Map<TopicPartition, DeleteRecordsPartitionResult>> deleteRecords(
            long timeoutMs, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, DeleteRecordsPartitionResult> results = new LinkedHashMap<>();
        offsets.forEach((tp, offset) -> {
            Partition p = partitions.apply(tp);
            results.put(tp, p == null ? DeleteRecordsPartitionResult.error(missing.apply(tp), "this broker does not"
                    + " lead " + tp) : LogStartOffsets.deleteAsLeader(p, offset));
        });
        CompletableFuture<Map<TopicPartition, DeleteRecordsPartitionResult>> future = new CompletableFuture<>();
        DelayedDeleteRecords delayed = new DelayedDeleteRecords(timeoutMs, results, partitions, future);
        purgatory.tryCompleteElseWatch(delayed, List.copyOf(results.keySet()));
        return future;
    }

    /** Retries the requests waiting on {@code tp} (a follower's log start moved, leadership changed). */
    void wake(TopicPartition tp) {
        purgatory.checkAndComplete(tp);
    }

    /** Answers every waiting request now (shutdown). */
    void completeAll() {
        purgatory.completeAll();
    }
}
