package io.runnel.metadata.controller;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TransactionState;
import io.runnel.metadata.image.TxnState;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.TxnOffsetCommitRecord;
import io.runnel.metadata.rpc.CommitOffsetsRequest;
import io.runnel.metadata.rpc.CommitOffsetsResponse;
import io.runnel.metadata.rpc.TxnOffsetCommitRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * TxnOffsetCommit (API key 28; KIP-98): a transaction's offsets, held pending in the metadata log as
 * TxnOffsetCommitRecords until {@link TransactionWrites} commits (they become committed offsets) or aborts (they are
 * dropped) the transaction.
 *
 * <p>Whole-request errors, given to every partition of the response and writing nothing, checked in this order:
 * INVALID_GROUP_ID (24) for an empty group id; INVALID_PRODUCER_ID_MAPPING (49) when the transactional id is absent
 * or maps to another producer id; PRODUCER_FENCED (90) for an older producer epoch; INVALID_PRODUCER_EPOCH (47) for
 * a newer one; INVALID_TXN_STATE (48) when the transaction is not ONGOING or the group was not added to it
 * (AddOffsetsToTxn). Then per partition, as {@link OffsetCommits}: UNKNOWN_TOPIC_OR_PARTITION (3),
 * OFFSET_METADATA_TOO_LARGE (12), INVALID_REQUEST (42) for a negative offset.
 */
public final class TxnOffsetCommits {
    private TxnOffsetCommits() {
    }

    /**
     * The pending offsets of one TxnOffsetCommit: one TxnOffsetCommitRecord per valid partition, and one result per
     * requested partition, in request order. {@code maxMetadataBytes} bounds each offset's metadata (UTF-8 bytes).
     */
    public static ControllerResult<CommitOffsetsResponse> commit(MetadataImage image, TxnOffsetCommitRequest req,
                                                                 int maxMetadataBytes) {
        ApiError top = check(image, req);
        List<MetadataRecord> records = new ArrayList<>();
        CommitOffsetsResponse.Builder resp = CommitOffsetsResponse.newBuilder();
        for (CommitOffsetsRequest.Offset o : req.getOffsetsList()) {
            ApiError e = top.isSuccess() ? OffsetCommits.check(image, req.getGroupId(), o, maxMetadataBytes) : top;
            resp.addPartitions(OffsetCommits.result(o.getTopic(), o.getPartition(), e));
            if (e.isSuccess()) {
                records.add(MetadataRecord.newBuilder().setTxnOffsetCommit(TxnOffsetCommitRecord.newBuilder()
                        .setGroupId(req.getGroupId()).setProducerId(req.getProducerId()).setTopic(o.getTopic())
                        .setPartition(o.getPartition()).setOffset(o.getOffset()).setLeaderEpoch(o.getLeaderEpoch())
                        .setMetadata(o.getMetadata()).setCommitTimestampMs(req.getCommitTimestampMs())).build());
            }
        }
        return new ControllerResult<>(records, resp.build());
    }

    private static ApiError check(MetadataImage image, TxnOffsetCommitRequest req) {
        if (req.getGroupId().isEmpty()) {
            return ApiError.of(ErrorCode.INVALID_GROUP_ID, "The group id is empty");
        }
        TransactionState txn = image.transactions().get(req.getTransactionalId());
        if (txn == null || txn.producerId() != req.getProducerId()) {
            return ApiError.of(ErrorCode.INVALID_PRODUCER_ID_MAPPING, "Transactional id '"
                    + req.getTransactionalId() + "' does not map to producer id " + req.getProducerId());
        }
        if (req.getProducerEpoch() < txn.producerEpoch()) {
            return ApiError.of(ErrorCode.PRODUCER_FENCED, "Producer epoch " + req.getProducerEpoch()
                    + " is older than the current epoch " + txn.producerEpoch());
        }
        if (req.getProducerEpoch() > txn.producerEpoch()) {
            return ApiError.of(ErrorCode.INVALID_PRODUCER_EPOCH, "Producer epoch " + req.getProducerEpoch()
                    + " is newer than the current epoch " + txn.producerEpoch());
        }
        if (txn.state() != TxnState.ONGOING || !txn.groups().contains(req.getGroupId())) {
            return ApiError.of(ErrorCode.INVALID_TXN_STATE, "Transaction '" + req.getTransactionalId() + "' is "
                    + txn.state().kafkaName() + (txn.groups().contains(req.getGroupId()) ? ""
                    : " and group '" + req.getGroupId() + "' was not added to it"));
        }
        return ApiError.NONE;
    }
}
