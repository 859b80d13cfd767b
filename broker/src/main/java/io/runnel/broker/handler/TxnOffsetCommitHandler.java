package io.runnel.broker.handler;

import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.txn.TxnGroupAdds;
import io.runnel.broker.txn.TxnOffsetCommits;
import io.runnel.metadata.image.CommittedOffset;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * TxnOffsetCommit (key 28, v0-5; KIP-98, KIP-447), sent to the group's coordinator: the group check (v3+ carries the
 * member and generation: UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, FENCED_INSTANCE_ID; NOT_COORDINATOR), then the
 * offsets are written as pending offsets of the transaction ({@link TxnOffsetCommits}). v5 is transactions v2
 * (KIP-890 part 2; advertised while {@code transaction.version} is 2): the producer sent no AddOffsetsToTxn, so the
 * group is first added to the transaction here ({@link TxnGroupAdds}; its errors, e.g. CONCURRENT_TRANSACTIONS 51 or
 * PRODUCER_FENCED 90, answer every partition). PRODUCER_FENCED becomes
 * INVALID_PRODUCER_EPOCH (47) below v2 (KIP-588).
 */
public final class TxnOffsetCommitHandler implements ApiHandler {
    private final GroupCoordinator groups;
    private final TxnOffsetCommits commits;
    private final TxnGroupAdds groupAdds;

    /** @param groupAdds adds the group to the transaction for v5 requests (transactions v2) */
    public TxnOffsetCommitHandler(GroupCoordinator groups, TxnOffsetCommits commits, TxnGroupAdds groupAdds) {
        this.groups = groups;
        this.commits = commits;
        this.groupAdds = groupAdds;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.TXN_OFFSET_COMMIT;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        TxnOffsetCommitRequestData d = (TxnOffsetCommitRequestData) request.body();
        Map<TopicPartition, CommittedOffset> offsets = new LinkedHashMap<>();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic t : d.topics()) {
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition p : t.partitions()) {
                offsets.put(new TopicPartition(t.name(), p.partitionIndex()), new CommittedOffset(
                        p.committedOffset(), p.committedLeaderEpoch(),
                        p.committedMetadata() == null ? "" : p.committedMetadata(), -1L));
            }
        }
        int generation = request.version() >= 3 ? d.generationId() : -1;
        return groups.checkTxnMember(d.groupId(), d.memberId(), d.groupInstanceId(), generation)
                .thenCompose(error -> {
                    if (error != Errors.NONE) {
                        Map<TopicPartition, Errors> all = new LinkedHashMap<>();
                        offsets.keySet().forEach(tp -> all.put(tp, error));
                        return CompletableFuture.completedFuture(all);
                    }
                    if (request.version() < 5) {
                        return commits.commit(d.transactionalId(), d.groupId(), d.producerId(), d.producerEpoch(),
                                offsets);
                    }
                    return groupAdds.add(d.transactionalId(), d.producerId(), d.producerEpoch(), d.groupId())
                            .thenCompose(added -> {
                                if (added != Errors.NONE) {
                                    Map<TopicPartition, Errors> all = new LinkedHashMap<>();
                                    offsets.keySet().forEach(tp -> all.put(tp, added));
                                    return CompletableFuture.completedFuture(all);
                                }
                                return commits.commit(d.transactionalId(), d.groupId(), d.producerId(),
                                        d.producerEpoch(), offsets);
                            });
                }).thenApply(errors -> ApiResponse.send(response(errors, request.version())));
    }

    private static TxnOffsetCommitResponseData response(Map<TopicPartition, Errors> errors, short version) {
        TxnOffsetCommitResponseData out = new TxnOffsetCommitResponseData().setThrottleTimeMs(0);
        Map<String, TxnOffsetCommitResponseTopic> topics = new LinkedHashMap<>();
        errors.forEach((tp, e) -> topics.computeIfAbsent(tp.topic(), name -> {
            TxnOffsetCommitResponseTopic t = new TxnOffsetCommitResponseTopic().setName(name);
            out.topics().add(t);
            return t;
        }).partitions().add(new TxnOffsetCommitResponsePartition().setPartitionIndex(tp.partition())
                .setErrorCode(AddOffsetsToTxnHandler.fenced(e, version).code())));
        return out;
    }
}
