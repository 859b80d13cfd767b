package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerFixtures.apply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.CommittedOffset;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.image.TxnState;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.PartitionRecord;
import io.runnel.metadata.record.TopicRecord;
import io.runnel.metadata.record.TransactionRecord;
import io.runnel.metadata.record.TxnPartition;
import io.runnel.metadata.rpc.CommitOffsetsRequest;
import io.runnel.metadata.rpc.DeleteTopicsRequest;
import io.runnel.metadata.rpc.TxnOffsetCommitRequest;
import io.runnel.metadata.rpc.WriteTransactionRequest;
import io.runnel.metadata.rpc.WriteTransactionResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TransactionWritesTest {
    private static final long PID = 1000;

    /** Topics "a" and "b" with partitions 0 and 1 each. */
    static MetadataImage topics() {
        List<MetadataRecord> records = new ArrayList<>();
        long n = 1;
        for (String name : List.of("a", "b")) {
            UUID id = new UUID(9, n++);
            records.add(MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName(name)
                    .setTopicId(Uuids.toProto(id))).build());
            for (int p = 0; p < 2; p++) {
                records.add(MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder()
                        .setTopicId(Uuids.toProto(id)).setPartitionId(p).addReplicas(1).addIsr(1).setLeader(1))
                        .build());
            }
        }
        return apply(ControllerFixtures.brokers(1, 0), records);
    }

    static TransactionRecord txn(TxnState state, int epoch, String... groups) {
        return TransactionRecord.newBuilder().setTransactionalId("tx").setProducerId(PID).setProducerEpoch(epoch)
                .setLastProducerId(-1).setLastProducerEpoch(-1).setTimeoutMs(60_000).setState(state.toProto())
                .addPartitions(TxnPartition.newBuilder().setTopic("b").setPartition(1))
                .addPartitions(TxnPartition.newBuilder().setTopic("a").setPartition(0))
                .addPartitions(TxnPartition.newBuilder().setTopic("a").setPartition(0))
                .addAllGroups(List.of(groups)).setTxnStartMs(state == TxnState.ONGOING ? 5 : -1)
                .setLastUpdateMs(7).build();
    }

    private static final MetadataImage BASE = topics();

    private static ControllerResult<WriteTransactionResponse> write(MetadataImage image, TransactionRecord r,
                                                                    long expected) {
        return TransactionWrites.write(image, WriteTransactionRequest.newBuilder().setRecord(r)
                .setExpectedVersion(expected).build());
    }

    private static MetadataImage written(MetadataImage image, TransactionRecord r, long expected) {
        ControllerResult<WriteTransactionResponse> res = write(image, r, expected);
        assertEquals(0, res.response().getErrorCode(), res.response().getErrorMessage());
        assertEquals(expected + 1, res.response().getVersion());
        return apply(image, res.records());
    }

    static CommitOffsetsRequest.Offset offset(String topic, int partition, long offset) {
        return CommitOffsetsRequest.Offset.newBuilder().setTopic(topic).setPartition(partition).setOffset(offset)
                .setLeaderEpoch(2).setMetadata("m").build();
    }

    static TxnOffsetCommitRequest.Builder txnCommit(String group, long pid, int epoch) {
        return TxnOffsetCommitRequest.newBuilder().setGroupId(group).setTransactionalId("tx").setProducerId(pid)
                .setProducerEpoch(epoch).setCommitTimestampMs(99);
    }

    /** "tx" ONGOING at version 2 with groups g1, g2, and pending offsets of PID in g1 (a-0, b-1) and g2 (a-1). */
    private static MetadataImage ongoingWithPending() {
        MetadataImage i = written(BASE, txn(TxnState.EMPTY, 0), 0);
        i = written(i, txn(TxnState.ONGOING, 0, "g2", "g1", "g1"), 1);
        for (var req : List.of(txnCommit("g1", PID, 0).addOffsets(offset("a", 0, 10)).addOffsets(offset("b", 1, 11)),
                txnCommit("g2", PID, 0).addOffsets(offset("a", 1, 12)))) {
            var r = TxnOffsetCommits.commit(i, req.build(), 4096);
            r.response().getPartitionsList().forEach(p -> assertEquals(0, p.getErrorCode(), p.toString()));
            i = apply(i, r.records());
        }
        return i;
    }

    @Test
    void compareAndSetWritesVersionsOneTwoThreeAndRefusesStaleVersions() {
        MetadataImage i = written(BASE, txn(TxnState.EMPTY, 0), 0);
        var state = i.transactions().get("tx");
        assertEquals(1, state.version());
        assertEquals(List.of(new TopicPartition("a", 0), new TopicPartition("b", 1)), List.copyOf(state.partitions()));
        ControllerResult<WriteTransactionResponse> stale = write(i, txn(TxnState.ONGOING, 0), 0);
        assertEquals(ErrorCode.CONCURRENT_TRANSACTIONS.code(), stale.response().getErrorCode());
        assertEquals(state.toRecord(), stale.response().getCurrent());
        assertTrue(stale.records().isEmpty());
        ControllerResult<WriteTransactionResponse> ahead = write(BASE, txn(TxnState.ONGOING, 0), 3);
        assertEquals(ErrorCode.CONCURRENT_TRANSACTIONS.code(), ahead.response().getErrorCode());
        assertFalse(ahead.response().hasCurrent());
        i = written(i, txn(TxnState.ONGOING, 1, "g"), 1);
        assertEquals(2, i.transactions().get("tx").version());
        assertEquals(TxnState.ONGOING, i.transactions().get("tx").state());
        assertEquals(ErrorCode.INVALID_REQUEST.code(), write(i, txn(TxnState.ONGOING, 1).toBuilder()
                .setTransactionalId("").build(), 0).response().getErrorCode());
        assertEquals(ErrorCode.INVALID_REQUEST.code(), write(i, txn(TxnState.ONGOING, 1).toBuilder()
                .setStateValue(0).build(), 2).response().getErrorCode());
    }

    @Test
    void prepareCommitMaterializesPendingOffsetsInTheSameBatch() {
        MetadataImage i = ongoingWithPending();
        assertEquals(Map.of(new TopicPartition("a", 0), new CommittedOffset(10, 2, "m", 99),
                new TopicPartition("b", 1), new CommittedOffset(11, 2, "m", 99)),
                i.pendingTxnOffsets().get("g1").get(PID));
        assertFalse(i.offsets().containsKey("g1"));
        ControllerResult<WriteTransactionResponse> r = write(i, txn(TxnState.PREPARE_COMMIT, 0, "g1", "g2"), 2);
        assertEquals(3, r.response().getVersion());
        assertEquals(List.of(MetadataRecord.RecordCase.TRANSACTION, MetadataRecord.RecordCase.OFFSET_COMMIT,
                MetadataRecord.RecordCase.OFFSET_COMMIT, MetadataRecord.RecordCase.TXN_OFFSETS_CLEAR,
                MetadataRecord.RecordCase.OFFSET_COMMIT, MetadataRecord.RecordCase.TXN_OFFSETS_CLEAR),
                r.records().stream().map(MetadataRecord::getRecordCase).toList());
        MetadataImage after = apply(i, r.records());
        assertEquals(new CommittedOffset(11, 2, "m", 99), after.offsets().get("g1").get(new TopicPartition("b", 1)));
        assertEquals(new CommittedOffset(12, 2, "m", 99), after.offsets().get("g2").get(new TopicPartition("a", 1)));
        assertTrue(after.pendingTxnOffsets().isEmpty());
        // the following CompleteCommit (current state not ONGOING) has no side effects
        assertEquals(1, write(after, txn(TxnState.COMPLETE_COMMIT, 0), 3).records().size());
    }

    @Test
    void commitSkipsPartitionsOfTopicsThatNoLongerExist() {
        MetadataImage i = ongoingWithPending();
        UUID bId = i.topicsByName().get("b").id();
        i = apply(i, List.of(MetadataRecord.newBuilder().setRemoveTopic(io.runnel.metadata.record.RemoveTopicRecord
                .newBuilder().setTopicId(Uuids.toProto(bId))).build()));
        MetadataImage after = apply(i, write(i, txn(TxnState.COMPLETE_COMMIT, 0, "g1"), 2).records());
        assertEquals(Map.of(new TopicPartition("a", 0), new CommittedOffset(10, 2, "m", 99)),
                after.offsets().get("g1"));
        assertFalse(after.pendingTxnOffsets().containsKey("g1"));
        assertTrue(after.pendingTxnOffsets().get("g2").containsKey(PID), "g2 was not named by the commit");
    }

    @Test
    void abortAndEpochFenceDropPendingOffsetsOfTheCurrentGroups() {
        for (TxnState end : List.of(TxnState.PREPARE_ABORT, TxnState.COMPLETE_ABORT, TxnState.PREPARE_EPOCH_FENCE)) {
            MetadataImage i = ongoingWithPending();
            ControllerResult<WriteTransactionResponse> r = write(i, txn(end, 0), 2);
            assertEquals(3, r.records().size(), end.toString());
            MetadataImage after = apply(i, r.records());
            assertTrue(after.pendingTxnOffsets().isEmpty());
            assertTrue(after.offsets().isEmpty());
            assertEquals(end, after.transactions().get("tx").state());
        }
    }

    @Test
    void removeDropsTheStateAndItsPendingOffsets() {
        MetadataImage i = ongoingWithPending();
        assertEquals(ErrorCode.CONCURRENT_TRANSACTIONS.code(), TransactionWrites.write(i, WriteTransactionRequest
                .newBuilder().setRecord(TransactionRecord.newBuilder().setTransactionalId("tx")).setExpectedVersion(1)
                .setRemove(true).build()).response().getErrorCode());
        ControllerResult<WriteTransactionResponse> r = TransactionWrites.write(i, WriteTransactionRequest.newBuilder()
                .setRecord(TransactionRecord.newBuilder().setTransactionalId("tx")).setExpectedVersion(2)
                .setRemove(true).build());
        assertEquals(0, r.response().getErrorCode());
        MetadataImage after = apply(i, r.records());
        assertNull(after.transactions().get("tx"));
        assertTrue(after.pendingTxnOffsets().isEmpty());
        // a new incarnation starts at version 1 again
        assertEquals(1, written(after, txn(TxnState.EMPTY, 0), 0).transactions().get("tx").version());
        ControllerResult<WriteTransactionResponse> absent = TransactionWrites.write(after, WriteTransactionRequest
                .newBuilder().setRecord(TransactionRecord.newBuilder().setTransactionalId("tx")).setRemove(true)
                .build());
        assertEquals(0, absent.response().getErrorCode());
        assertTrue(absent.records().isEmpty());
    }

    @Test
    void txnOffsetCommitChecksTheProducerTheEpochAndTheState() {
        MetadataImage i = written(BASE, txn(TxnState.EMPTY, 3), 0);
        MetadataImage ongoing = written(i, txn(TxnState.ONGOING, 3, "g"), 1);
        assertEquals(ErrorCode.INVALID_PRODUCER_ID_MAPPING.code(), code(BASE, txnCommit("g", PID, 3)));
        assertEquals(ErrorCode.INVALID_PRODUCER_ID_MAPPING.code(), code(ongoing, txnCommit("g", PID + 1, 3)));
        assertEquals(ErrorCode.PRODUCER_FENCED.code(), code(ongoing, txnCommit("g", PID, 2)));
        assertEquals(ErrorCode.INVALID_PRODUCER_EPOCH.code(), code(ongoing, txnCommit("g", PID, 4)));
        assertEquals(ErrorCode.INVALID_TXN_STATE.code(), code(i, txnCommit("g", PID, 3)));
        assertEquals(ErrorCode.INVALID_TXN_STATE.code(), code(ongoing, txnCommit("other", PID, 3)));
        assertEquals(ErrorCode.INVALID_GROUP_ID.code(), code(ongoing, txnCommit("", PID, 3)));
        var r = TxnOffsetCommits.commit(ongoing, txnCommit("g", PID, 3).addOffsets(offset("a", 0, 1))
                .addOffsets(offset("a", 7, 1)).addOffsets(offset("a", 1, 1).toBuilder().setMetadata("x".repeat(5)))
                .addOffsets(offset("b", 0, -1)).build(), 4);
        assertEquals(List.of(0, (int) ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(),
                (int) ErrorCode.OFFSET_METADATA_TOO_LARGE.code(), (int) ErrorCode.INVALID_REQUEST.code()),
                r.response().getPartitionsList().stream().map(p -> p.getErrorCode()).toList());
        assertEquals(1, r.records().size());
        assertEquals(Map.of("g", Map.of(PID, Map.of(new TopicPartition("a", 0), new CommittedOffset(1, 2, "m", 99)))),
                apply(ongoing, r.records()).pendingTxnOffsets());
    }

    /** The error of every partition (all equal), with two partitions asked; asserts that nothing is written. */
    private static int code(MetadataImage i, TxnOffsetCommitRequest.Builder req) {
        var r = TxnOffsetCommits.commit(i, req.addOffsets(offset("a", 0, 1)).addOffsets(offset("b", 1, 1)).build(),
                4096);
        assertTrue(r.records().isEmpty());
        assertEquals(r.response().getPartitions(0).getErrorCode(), r.response().getPartitions(1).getErrorCode());
        return r.response().getPartitions(0).getErrorCode();
    }

    @Test
    void deletingATopicDropsItsPendingTxnOffsetsButKeepsTheOthers() {
        MetadataImage i = ongoingWithPending();
        var r = TopicDeletion.deleteTopics(i, DeleteTopicsRequest.newBuilder().addNames("b").build(), true);
        MetadataImage after = apply(i, r.records());
        assertEquals(Map.of("g1", Map.of(PID, Map.of(new TopicPartition("a", 0), new CommittedOffset(10, 2, "m", 99))),
                "g2", Map.of(PID, Map.of(new TopicPartition("a", 1), new CommittedOffset(12, 2, "m", 99)))),
                after.pendingTxnOffsets());
        assertEquals(i.transactions(), after.transactions(), "transaction partitions are left alone");
        after = apply(after, TopicDeletion.deleteTopics(after, DeleteTopicsRequest.newBuilder().addNames("a")
                .build(), true).records());
        assertTrue(after.pendingTxnOffsets().isEmpty());
    }
}
