package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.FileSliceRecords;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.FetchParams;
import io.runnel.broker.replica.FetchPartition;
import io.runnel.broker.replica.FetchPartitionData;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.LeaderIdAndEpoch;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Fetch (key 1, v4-12) for consumers and followers: records below the high watermark (for a follower, below the log
 * end offset), sent zero-copy from the log files ({@link FileSliceRecords}), with long polling ({@code max_wait_ms},
 * {@code min_bytes}) in the replica manager's purgatory, {@code max_bytes} and {@code partition_max_bytes}.
 * <ul>
 *   <li>Fetch sessions (KIP-227) are refused by always answering session id 0: a request naming a session gets
 *       FETCH_SESSION_ID_NOT_FOUND (70), one with session id 0 and an epoch other than -1 or 0
 *       INVALID_FETCH_SESSION_EPOCH (71).</li>
 *   <li>Per partition: OFFSET_OUT_OF_RANGE (1), NOT_LEADER_OR_FOLLOWER (6) with {@code current_leader} (v12),
 *       UNKNOWN_TOPIC_OR_PARTITION (3), FENCED_LEADER_EPOCH (74) / UNKNOWN_LEADER_EPOCH (75) (KIP-320).</li>
 *   <li>{@code isolation_level} read_committed (KIP-98): records below the last stable offset, with the aborted
 *       transactions overlapping them in {@code aborted_transactions}; read_uncommitted: below the high watermark,
 *       {@code aborted_transactions} null. {@code last_stable_offset} is always the partition's.</li>
 *   <li>Follower fetches (replica id at least 0, DESIGN.md section 6) report the follower's log end offset and
 *       {@code last_fetched_epoch}; a diverged follower gets {@code diverging_epoch} (v12+) and no records.
 *       Below v12 (no {@code last_fetched_epoch}) a follower fetch gets UNSUPPORTED_VERSION.</li>
 * </ul>
 */
public final class FetchHandler implements ApiHandler {
    private static final int INVALID_SESSION_ID = 0;
    private final ReplicaManager replicas;

    public FetchHandler(ReplicaManager replicas) {
        this.replicas = replicas;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        FetchRequestData data = (FetchRequestData) request.body();
        if (data.replicaId() >= 0 && request.version() < 12) {
            return error(request, Errors.UNSUPPORTED_VERSION);
        }
        if (data.sessionId() != INVALID_SESSION_ID) {
            return error(request, Errors.FETCH_SESSION_ID_NOT_FOUND);
        }
        if (data.sessionEpoch() != -1 && data.sessionEpoch() != 0) {
            return error(request, Errors.INVALID_FETCH_SESSION_EPOCH);
        }
        List<FetchPartition> partitions = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : data.topics()) {
            for (FetchRequestData.FetchPartition p : topic.partitions()) {
                partitions.add(new FetchPartition(new TopicPartition(topic.topic(), p.partition()), p.fetchOffset(),
                        p.partitionMaxBytes(), p.currentLeaderEpoch(),
                        data.replicaId() >= 0 ? p.lastFetchedEpoch() : -1,
                        data.replicaId() >= 0 ? p.logStartOffset() : -1L));
            }
        }
        FetchParams params = new FetchParams(data.replicaId(), data.maxWaitMs(), data.minBytes(), data.maxBytes(),
                partitions, data.replicaId() < 0 && data.isolationLevel() == 1);
        return replicas.fetchMessages(params).thenApply(results -> ApiResponse.send(response(results,
                request.version())));
    }

    /** The error at the top level (v7+) and for every requested partition, as kafka-clients builds it. */
    private static CompletableFuture<ApiResponse> error(KafkaRequest request, Errors error) {
        return CompletableFuture.completedFuture(ApiResponse.send(
                request.request().getErrorResponse(0, error.exception()).data()));
    }

    /** Fetch {@code aborted_transactions}: null for read_uncommitted, else producer id and first offset each. */
    private static List<FetchResponseData.AbortedTransaction> aborted(FetchPartitionData r) {
        if (r.abortedTransactions() == null) {
            return null;
        }
        List<FetchResponseData.AbortedTransaction> out = new ArrayList<>();
        r.abortedTransactions().forEach(t -> out.add(new FetchResponseData.AbortedTransaction()
                .setProducerId(t.producerId()).setFirstOffset(t.firstOffset())));
        return out;
    }

    private static FetchResponseData response(List<FetchPartitionData> results, short version) {
        FetchResponseData response = new FetchResponseData().setThrottleTimeMs(0).setErrorCode(Errors.NONE.code())
                .setSessionId(INVALID_SESSION_ID);
        Map<String, FetchableTopicResponse> topics = new LinkedHashMap<>();
        for (FetchPartitionData r : results) {
            FetchableTopicResponse topic = topics.computeIfAbsent(r.tp().topic(), name -> {
                FetchableTopicResponse t = new FetchableTopicResponse().setTopic(name);
                response.responses().add(t);
                return t;
            });
            PartitionData p = new PartitionData()
                    .setPartitionIndex(r.tp().partition())
                    .setErrorCode(r.error().code())
                    .setHighWatermark(r.highWatermark())
                    .setLastStableOffset(r.lastStableOffset())
                    .setLogStartOffset(r.logStartOffset())
                    .setAbortedTransactions(aborted(r))
                    .setPreferredReadReplica(-1)
                    .setRecords(r.records().isEmpty() ? MemoryRecords.EMPTY : new FileSliceRecords(r.records()));
            if (version >= 12 && r.divergingEpoch() != null) {
                p.setDivergingEpoch(new FetchResponseData.EpochEndOffset().setEpoch(r.divergingEpoch().epoch())
                        .setEndOffset(r.divergingEpoch().endOffset()));
            }
            if (version >= 12 && (r.error() == Errors.NOT_LEADER_OR_FOLLOWER
                    || r.error() == Errors.FENCED_LEADER_EPOCH)) {
                p.setCurrentLeader(new LeaderIdAndEpoch().setLeaderId(r.leaderId()).setLeaderEpoch(r.leaderEpoch()));
            }
            topic.partitions().add(p);
        }
        return response;
    }
}
