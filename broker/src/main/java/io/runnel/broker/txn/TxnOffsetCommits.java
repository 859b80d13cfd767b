package io.runnel.broker.txn;

import io.runnel.broker.group.ImageAwait;
import io.runnel.metadata.image.CommittedOffset;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.rpc.CommitOffsetsRequest;
import io.runnel.metadata.rpc.PartitionResult;
import io.runnel.metadata.rpc.TxnOffsetCommitRequest;
import org.apache.kafka.common.protocol.Errors;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * TxnOffsetCommit's write (KIP-98, KIP-447): a transaction's consumer offsets go into the metadata log as pending
 * offsets of its producer id; they become the group's committed offsets in the same metadata-log entry that records
 * the transaction's PrepareCommit, and are dropped when it aborts. Answered once this broker's image holds them. The
 * controller checks the transaction (INVALID_PRODUCER_ID_MAPPING 49, PRODUCER_FENCED 90, INVALID_PRODUCER_EPOCH 47,
 * INVALID_TXN_STATE 48 when the group was not added by AddOffsetsToTxn) and each partition
 * (UNKNOWN_TOPIC_OR_PARTITION 3, OFFSET_METADATA_TOO_LARGE 12). Thread-safe.
 */
public final class TxnOffsetCommits {
    private final TransactionLog log;
    private final ImageAwait images;
    private final LongSupplier clock;
    private final long imageWaitMs;

    public TxnOffsetCommits(TransactionLog log, ImageAwait images, LongSupplier clock, long imageWaitMs) {
        this.log = log;
        this.images = images;
        this.clock = clock;
        this.imageWaitMs = imageWaitMs;
    }

    /**
     * @param offsets offset, leader epoch and metadata per partition
     * @return an error per partition, in the order given; COORDINATOR_NOT_AVAILABLE when the metadata log could not
     *         be written in time
     */
    public CompletableFuture<Map<TopicPartition, Errors>> commit(String transactionalId, String groupId,
                                                                 long producerId, short epoch,
                                                                 Map<TopicPartition, CommittedOffset> offsets) {
        TxnOffsetCommitRequest.Builder req = TxnOffsetCommitRequest.newBuilder().setGroupId(groupId)
                .setTransactionalId(transactionalId).setProducerId(producerId).setProducerEpoch(epoch)
                .setCommitTimestampMs(clock.getAsLong());
        offsets.forEach((tp, o) -> req.addOffsets(CommitOffsetsRequest.Offset.newBuilder().setTopic(tp.topic())
                .setPartition(tp.partition()).setOffset(o.offset()).setLeaderEpoch(o.leaderEpoch())
                .setMetadata(o.metadata() == null ? "" : o.metadata())));
        return log.commitOffsets(req.build()).handle((resp, failure) -> {
            Map<TopicPartition, Errors> out = new LinkedHashMap<>();
            if (failure != null) {
                offsets.keySet().forEach(tp -> out.put(tp, Errors.COORDINATOR_NOT_AVAILABLE));
                return out;
            }
            Map<TopicPartition, Errors> byPartition = new LinkedHashMap<>();
            for (PartitionResult p : resp.getPartitionsList()) {
                byPartition.put(new TopicPartition(p.getTopic(), p.getPartition()),
                        Errors.forCode((short) p.getErrorCode()));
            }
            offsets.keySet().forEach(tp -> out.put(tp, byPartition.getOrDefault(tp, Errors.UNKNOWN_SERVER_ERROR)));
            return out;
        }).thenCompose(out -> {
            Map<TopicPartition, CommittedOffset> written = new LinkedHashMap<>();
            out.forEach((tp, e) -> {
                if (e == Errors.NONE) {
                    written.put(tp, offsets.get(tp));
                }
            });
            if (written.isEmpty()) {
                return CompletableFuture.completedFuture(out);
            }
            return images.await(img -> {
                Map<Long, Map<TopicPartition, CommittedOffset>> g = img.pendingTxnOffsets().get(groupId);
                Map<TopicPartition, CommittedOffset> mine = g == null ? null : g.get(producerId);
                return mine != null && written.keySet().stream().allMatch(tp -> mine.containsKey(tp)
                        && mine.get(tp).offset() == written.get(tp).offset());
            }, imageWaitMs).thenApply(seen -> {
                if (!seen) {
                    written.keySet().forEach(tp -> out.put(tp, Errors.COORDINATOR_NOT_AVAILABLE));
                }
                return out;
            });
        });
    }
}
