package io.runnel.metadata.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.errors.MetadataReplayException;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.MetadataSnapshot;
import io.runnel.metadata.record.TransactionRecord;
import io.runnel.metadata.record.TransactionRemoveRecord;
import io.runnel.metadata.record.TxnOffsetCommitRecord;
import io.runnel.metadata.record.TxnOffsetsClearRecord;
import io.runnel.metadata.record.TxnPartition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransactionReplayTest {
    private MetadataImage image = MetadataImage.empty("cluster-t");
    private long index;

    private MetadataImage apply(MetadataRecord... records) {
        MetadataDelta delta = new MetadataDelta(image);
        for (MetadataRecord r : records) {
            delta.replay(r);
        }
        image = delta.apply(new MetadataProvenance(1, ++index));
        return image;
    }

    private ErrorCode rejected(MetadataRecord r) {
        MetadataDelta delta = new MetadataDelta(image);
        return assertThrows(MetadataReplayException.class, () -> delta.replay(r)).error();
    }

    static MetadataRecord txn(String id, TxnState state, long version, String... groups) {
        return MetadataRecord.newBuilder().setTransaction(TransactionRecord.newBuilder().setTransactionalId(id)
                .setProducerId(7).setProducerEpoch(2).setLastProducerId(-1).setLastProducerEpoch(-1)
                .setTimeoutMs(60_000).setState(state.toProto())
                .addPartitions(TxnPartition.newBuilder().setTopic("a").setPartition(1))
                .addPartitions(TxnPartition.newBuilder().setTopic("b").setPartition(0))
                .addAllGroups(List.of(groups)).setTxnStartMs(100).setLastUpdateMs(200).setVersion(version)).build();
    }

    static MetadataRecord pending(String group, long pid, String topic, int partition, long offset) {
        return MetadataRecord.newBuilder().setTxnOffsetCommit(TxnOffsetCommitRecord.newBuilder().setGroupId(group)
                .setProducerId(pid).setTopic(topic).setPartition(partition).setOffset(offset).setLeaderEpoch(4)
                .setMetadata("md").setCommitTimestampMs(300)).build();
    }

    static MetadataRecord clear(String group, long pid) {
        return MetadataRecord.newBuilder().setTxnOffsetsClear(TxnOffsetsClearRecord.newBuilder().setGroupId(group)
                .setProducerId(pid)).build();
    }

    @Test
    void transactionRecordsReplaceTheStateVersionByVersion() {
        apply(txn("tx", TxnState.EMPTY, 1));
        TransactionState s = image.transactions().get("tx");
        assertEquals(new TransactionState("tx", 7, 2, -1, -1, 60_000, TxnState.EMPTY,
                Set.of(new TopicPartition("b", 0), new TopicPartition("a", 1)), Set.of(), 100, 200, 1, -1L, 0), s);
        assertEquals(List.of(new TopicPartition("a", 1), new TopicPartition("b", 0)), List.copyOf(s.partitions()));
        assertThrows(UnsupportedOperationException.class, () -> s.partitions().clear());
        apply(txn("tx", TxnState.ONGOING, 2, "g1", "g2"));
        assertEquals(Set.of("g1", "g2"), image.transactions().get("tx").groups());
        assertEquals(ErrorCode.CONCURRENT_TRANSACTIONS, rejected(txn("tx", TxnState.ONGOING, 2)));
        assertEquals(ErrorCode.CONCURRENT_TRANSACTIONS, rejected(txn("tx", TxnState.ONGOING, 4)));
        assertEquals(ErrorCode.CONCURRENT_TRANSACTIONS, rejected(txn("new", TxnState.ONGOING, 0)));
        assertEquals(ErrorCode.INVALID_REQUEST, rejected(txn("", TxnState.ONGOING, 1)));
        assertEquals(ErrorCode.INVALID_REQUEST, rejected(txn("tx", TxnState.ONGOING, 3, "g2", "g1")));
        assertEquals(ErrorCode.INVALID_REQUEST, rejected(txn("tx", TxnState.ONGOING, 3, "g1", "g1")));
        MetadataRecord unsorted = txn("tx", TxnState.ONGOING, 3);
        assertEquals(ErrorCode.INVALID_REQUEST, rejected(unsorted.toBuilder().setTransaction(unsorted
                .getTransaction().toBuilder().addPartitions(TxnPartition.newBuilder().setTopic("a"))).build()));
        assertEquals(ErrorCode.INVALID_REQUEST, rejected(unsorted.toBuilder().setTransaction(unsorted
                .getTransaction().toBuilder().setStateValue(0)).build()));
        apply(MetadataRecord.newBuilder().setTransactionRemove(TransactionRemoveRecord.newBuilder()
                .setTransactionalId("tx")).build());
        assertTrue(image.transactions().isEmpty());
        apply(txn("tx", TxnState.EMPTY, 1));
        assertEquals(1, image.transactions().get("tx").version());
    }

    @Test
    void pendingOffsetsAreKeptPerGroupAndProducerAndClearedTogether() {
        apply(pending("g", 7, "a", 0, 10), pending("g", 7, "a", 1, 11), pending("g", 8, "a", 0, 12),
                pending("h", 7, "b", 0, 13));
        assertEquals(Map.of(new TopicPartition("a", 0), new CommittedOffset(10, 4, "md", 300),
                new TopicPartition("a", 1), new CommittedOffset(11, 4, "md", 300)),
                image.pendingTxnOffsets().get("g").get(7L));
        apply(pending("g", 7, "a", 0, 20));
        assertEquals(20, image.pendingTxnOffsets().get("g").get(7L).get(new TopicPartition("a", 0)).offset());
        apply(clear("g", 7), clear("nothing", 1));
        assertEquals(Set.of(8L), image.pendingTxnOffsets().get("g").keySet());
        apply(clear("g", 8));
        assertFalse(image.pendingTxnOffsets().containsKey("g"));
        assertEquals(Set.of("h"), image.pendingTxnOffsets().keySet());
        assertEquals(ErrorCode.INVALID_REQUEST, rejected(pending("", 7, "a", 0, 1)));
        assertEquals(ErrorCode.INVALID_REQUEST, rejected(pending("g", -1, "a", 0, 1)));
        assertEquals(ErrorCode.INVALID_REQUEST, rejected(pending("g", 7, "a", 0, -1)));
        assertEquals(ErrorCode.INVALID_REQUEST, rejected(pending("g", 7, "a", -1, 1)));
    }

    @Test
    void snapshotRoundTripKeepsTransactionsAndPendingOffsetsInCanonicalOrder() throws Exception {
        apply(txn("zz", TxnState.PREPARE_COMMIT, 1, "g"), txn("aa", TxnState.ONGOING, 1, "g", "h"),
                pending("h", 9, "b", 1, 5), pending("g", 9, "b", 0, 4), pending("g", 3, "a", 2, 3),
                pending("g", 9, "a", 0, 2));
        apply(txn("zz", TxnState.COMPLETE_COMMIT, 2));
        MetadataSnapshot s = ImageCodec.toSnapshot(image);
        assertEquals(List.of("aa", "zz"), s.getTransactionsList().stream().map(TransactionRecord::getTransactionalId)
                .toList());
        assertEquals(List.of("g/3/a-2", "g/9/a-0", "g/9/b-0", "h/9/b-1"), s.getPendingTxnOffsetsList().stream()
                .map(r -> r.getGroupId() + "/" + r.getProducerId() + "/" + r.getTopic() + "-" + r.getPartition())
                .toList());
        byte[] bytes = ImageCodec.toBytes(image);
        MetadataImage back = ImageCodec.fromBytes(bytes);
        assertEquals(image, back);
        assertEquals(image.digest(), back.digest());
        assertArrayEquals(bytes, ImageCodec.toBytes(back));
        assertEquals(image, ImageSnapshot.unframe(Path.of("mem"), ImageSnapshot.frame(image)));
        assertEquals(2, back.transactions().get("zz").version());
        // replay continues from the loaded image exactly as from the replayed one
        MetadataDelta d = new MetadataDelta(back);
        d.replay(txn("zz", TxnState.EMPTY, 3));
        assertEquals(TxnState.EMPTY, d.apply(new MetadataProvenance(1, 99)).transactions().get("zz").state());
    }

    @Test
    void differentTransactionsGiveDifferentDigests() {
        apply(txn("tx", TxnState.ONGOING, 1));
        String one = image.digest();
        apply(pending("g", 7, "a", 0, 1));
        String two = image.digest();
        assertFalse(one.equals(two));
        assertTrue(image.toString().contains("transactions=[tx]"));
    }

    @Test
    void kafkaNamesOfTheStates() {
        assertEquals(List.of("Empty", "Ongoing", "PrepareCommit", "PrepareAbort", "CompleteCommit", "CompleteAbort",
                "Dead", "PrepareEpochFence"), java.util.Arrays.stream(TxnState.values()).map(TxnState::kafkaName)
                .toList());
        for (TxnState s : TxnState.values()) {
            assertEquals(s, TxnState.fromKafkaName(s.kafkaName().toUpperCase(java.util.Locale.ROOT)));
            assertEquals(s, TxnState.fromProto(s.toProto()));
            assertEquals(s.ordinal() + 1, s.toProto().getNumber(), "Kafka's state id + 1");
        }
        assertNull(TxnState.fromKafkaName("Preparing"));
        assertNull(TxnState.fromKafkaName(null));
        assertNull(TxnState.fromProto(io.runnel.metadata.record.TransactionStateCode.TRANSACTION_STATE_UNKNOWN));
    }
}
