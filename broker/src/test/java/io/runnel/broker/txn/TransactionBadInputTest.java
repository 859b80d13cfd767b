package io.runnel.broker.txn;

import io.runnel.broker.replica.Partition;
import io.runnel.broker.testing.NodeCluster;
import io.runnel.broker.testing.RawClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 acceptance, bad input: raw protocol requests (no client-side checks) against one combined node in this
 * JVM, each refused with Kafka's error and leaving the log and the coordinator's state as they were:
 * <ul>
 *   <li>a transactional Produce from a producer that never added the partition (AddPartitionsToTxn):
 *       INVALID_TXN_STATE (48), log end offset unchanged;</li>
 *   <li>AddPartitionsToTxn v3 naming a topic that does not exist: UNKNOWN_TOPIC_OR_PARTITION for it and
 *       OPERATION_NOT_ATTEMPTED for the existing partition of the same request, DescribeTransactions shows no
 *       partitions;</li>
 *   <li>EndTxn from a fenced epoch: PRODUCER_FENCED (90) at v2+ and INVALID_PRODUCER_EPOCH (47) at v0-1, nothing
 *       appended;</li>
 *   <li>a control batch sent by a client: INVALID_RECORD, nothing appended;</li>
 *   <li>WriteTxnMarkers with a producer epoch older than the partition's: INVALID_PRODUCER_EPOCH, nothing
 *       appended.</li>
 * </ul>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionBadInputTest {
    static final String TOPIC = "bad-txn";
    @TempDir
    static Path dir;
    private static NodeCluster cluster;
    private static RawClient raw;
    private static int correlation;

    @BeforeAll
    static void start() throws Exception {
        cluster = NodeCluster.start(dir, 1, Map.of());
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (partition(5) == null || !partition(5).isLeader()) {
            assertTrue(System.nanoTime() < deadline, "partitions not hosted");
            Thread.sleep(20);
        }
        raw = new RawClient(cluster.brokerPort(1));
    }

    @AfterAll
    static void stop() throws Exception {
        if (raw != null) {
            raw.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Partition partition(int p) {
        return cluster.node(1).replicaManager().partition(new io.runnel.metadata.image.TopicPartition(TOPIC, p));
    }

    private static AbstractResponse roundTrip(AbstractRequest request) throws IOException {
        int id = ++correlation;
        raw.send(request, id);
        return raw.read(request.apiKey(), request.version(), id);
    }

    /** InitProducerId for {@code transactionalId}, retried while the coordinator loads. */
    private static InitProducerIdResponseData init(String transactionalId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            InitProducerIdResponseData r = (InitProducerIdResponseData) roundTrip(new InitProducerIdRequest.Builder(
                    new InitProducerIdRequestData().setTransactionalId(transactionalId)
                            .setTransactionTimeoutMs(60_000).setProducerId(-1).setProducerEpoch((short) -1))
                    .build((short) 4)).data();
            if (r.errorCode() == Errors.NONE.code()) {
                return r;
            }
            assertTrue(System.nanoTime() < deadline, "InitProducerId: " + Errors.forCode(r.errorCode()));
            Thread.sleep(50);
        }
    }

    private static Errors produce(String transactionalId, int partition, MemoryRecords records) throws IOException {
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000)
                .setTransactionalId(transactionalId);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName(TOPIC);
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(partition)
                .setRecords(records));
        data.topicData().add(topic);
        ProduceResponseData r = (ProduceResponseData) roundTrip(new ProduceRequest(data, (short) 9)).data();
        return Errors.forCode(r.responses().iterator().next().partitionResponses().get(0).errorCode());
    }

    private static MemoryRecords txnRecords(InitProducerIdResponseData id, int seq, String value) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, id.producerId(), id.producerEpoch(), seq,
                new SimpleRecord(System.currentTimeMillis(), value.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, Map<Integer, Errors>> addPartitions(String transactionalId,
                                                                   InitProducerIdResponseData id,
                                                                   List<TopicPartition> tps) throws IOException {
        AddPartitionsToTxnResponseData r = (AddPartitionsToTxnResponseData) roundTrip(
                AddPartitionsToTxnRequest.Builder.forClient(transactionalId, id.producerId(), id.producerEpoch(), tps)
                        .build((short) 3)).data();
        Map<String, Map<Integer, Errors>> out = new java.util.TreeMap<>();
        r.resultsByTopicV3AndBelow().forEach(t -> t.resultsByPartition().forEach(p -> out
                .computeIfAbsent(t.name(), k -> new java.util.TreeMap<>())
                .put(p.partitionIndex(), Errors.forCode(p.partitionErrorCode()))));
        return out;
    }

    private static Errors endTxn(String transactionalId, long pid, short epoch, boolean commit, short version)
            throws IOException {
        EndTxnResponseData r = (EndTxnResponseData) roundTrip(new EndTxnRequest.Builder(new EndTxnRequestData()
                .setTransactionalId(transactionalId).setProducerId(pid).setProducerEpoch(epoch)
                .setCommitted(commit), false).build(version)).data();
        return Errors.forCode(r.errorCode());
    }

    private static DescribeTransactionsResponseData.TransactionState describe(String transactionalId)
            throws IOException {
        DescribeTransactionsResponseData r = (DescribeTransactionsResponseData) roundTrip(
                new DescribeTransactionsRequest.Builder(new DescribeTransactionsRequestData()
                        .setTransactionalIds(List.of(transactionalId))).build((short) 0)).data();
        return r.transactionStates().get(0);
    }

    /** Waits until no transaction is open on {@code partition} (the markers are written). */
    private static void awaitStable(int partition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Partition p = partition(partition);
        while (p.lastStableOffset() != p.highWatermark() || p.highWatermark() != p.logEndOffset()) {
            assertTrue(System.nanoTime() < deadline, "partition " + partition + " stays unstable");
            Thread.sleep(20);
        }
    }

    @Test
    void aTransactionalProduceWithoutAddPartitionsToTxnIsInvalidTxnStateAndAppendsNothing() throws Exception {
        InitProducerIdResponseData id = init("no-add");
        long before = partition(0).logEndOffset();
        assertEquals(Errors.INVALID_TXN_STATE, produce("no-add", 0, txnRecords(id, 0, "stray")));
        assertEquals(before, partition(0).logEndOffset());
        assertEquals(partition(0).highWatermark(), partition(0).lastStableOffset(),
                "no transaction opened on the partition");
        assertEquals("Empty", describe("no-add").transactionState());
    }

    @Test
    void addPartitionsToTxnWithAnUnknownTopicAddsNothing() throws Exception {
        InitProducerIdResponseData id = init("unknown-topic");
        Map<String, Map<Integer, Errors>> r = addPartitions("unknown-topic", id,
                List.of(new TopicPartition(TOPIC, 1), new TopicPartition("no-such-topic", 0)));
        assertEquals(Map.of(TOPIC, Map.of(1, Errors.OPERATION_NOT_ATTEMPTED),
                "no-such-topic", Map.of(0, Errors.UNKNOWN_TOPIC_OR_PARTITION)), r);
        DescribeTransactionsResponseData.TransactionState s = describe("unknown-topic");
        assertEquals(Errors.NONE.code(), s.errorCode());
        assertEquals("Empty", s.transactionState());
        assertTrue(s.topics().isEmpty(), "no partition added: " + s.topics());
        // and the existing partition was not added: a batch there still needs AddPartitionsToTxn
        long before = partition(1).logEndOffset();
        assertEquals(Errors.INVALID_TXN_STATE, produce("unknown-topic", 1, txnRecords(id, 0, "x")));
        assertEquals(before, partition(1).logEndOffset());
    }

    @Test
    void endTxnFromAFencedEpochIsProducerFencedFromV2AndInvalidProducerEpochBefore() throws Exception {
        InitProducerIdResponseData first = init("fenced");
        assertEquals(Map.of(TOPIC, Map.of(2, Errors.NONE)),
                addPartitions("fenced", first, List.of(new TopicPartition(TOPIC, 2))));
        assertEquals(Errors.NONE, produce("fenced", 2, txnRecords(first, 0, "open")));
        InitProducerIdResponseData second = init("fenced"); // fences the first, aborting its transaction
        assertEquals(first.producerId(), second.producerId());
        assertTrue(second.producerEpoch() > first.producerEpoch());
        awaitStable(2);
        long before = partition(2).logEndOffset();
        for (short v = 0; v <= 4; v++) {
            Errors expected = v >= 2 ? Errors.PRODUCER_FENCED : Errors.INVALID_PRODUCER_EPOCH;
            assertEquals(expected, endTxn("fenced", first.producerId(), first.producerEpoch(), true, v),
                    "EndTxn v" + v);
        }
        assertEquals(before, partition(2).logEndOffset(), "nothing appended");
        assertEquals(before, partition(2).lastStableOffset());
        DescribeTransactionsResponseData.TransactionState s = describe("fenced");
        assertEquals(second.producerEpoch(), s.producerEpoch());
        assertTrue(s.topics().isEmpty(), "the fenced transaction was aborted: " + s.topics());
    }

    @Test
    void aControlBatchFromAClientIsInvalidRecordAndAppendsNothing() throws Exception {
        InitProducerIdResponseData id = init("control");
        assertEquals(Map.of(TOPIC, Map.of(3, Errors.NONE)),
                addPartitions("control", id, List.of(new TopicPartition(TOPIC, 3))));
        long before = partition(3).logEndOffset();
        for (ControlRecordType type : List.of(ControlRecordType.COMMIT, ControlRecordType.ABORT)) {
            MemoryRecords marker = MemoryRecords.withEndTransactionMarker(0L, System.currentTimeMillis(),
                    RecordBatch.NO_PARTITION_LEADER_EPOCH, id.producerId(), id.producerEpoch(),
                    new EndTransactionMarker(type, 0));
            assertEquals(Errors.INVALID_RECORD, produce("control", 3, marker), type.name());
        }
        assertEquals(before, partition(3).logEndOffset());
        assertEquals(Errors.NONE, endTxn("control", id.producerId(), id.producerEpoch(), false, (short) 3));
    }

    @Test
    void writeTxnMarkersWithAnOlderProducerEpochIsInvalidProducerEpoch() throws Exception {
        init("markers");
        InitProducerIdResponseData id = init("markers"); // epoch 1 or more
        assertTrue(id.producerEpoch() >= 1);
        assertEquals(Map.of(TOPIC, Map.of(4, Errors.NONE)),
                addPartitions("markers", id, List.of(new TopicPartition(TOPIC, 4))));
        assertEquals(Errors.NONE, produce("markers", 4, txnRecords(id, 0, "v")));
        assertEquals(Errors.NONE, endTxn("markers", id.producerId(), id.producerEpoch(), true, (short) 3));
        awaitStable(4);
        long before = partition(4).logEndOffset();
        WriteTxnMarkersRequestData d = new WriteTxnMarkersRequestData();
        d.markers().add(new WriteTxnMarkersRequestData.WritableTxnMarker().setProducerId(id.producerId())
                .setProducerEpoch((short) (id.producerEpoch() - 1)).setTransactionResult(false)
                .setCoordinatorEpoch(Integer.MAX_VALUE).setTopics(List.of(
                        new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName(TOPIC)
                                .setPartitionIndexes(List.of(4)))));
        WriteTxnMarkersResponseData r = (WriteTxnMarkersResponseData) roundTrip(
                new WriteTxnMarkersRequest.Builder(d).build((short) 1)).data();
        assertEquals(Errors.INVALID_PRODUCER_EPOCH.code(),
                r.markers().get(0).topics().get(0).partitions().get(0).errorCode());
        assertEquals(before, partition(4).logEndOffset(), "nothing appended");
    }

    /**
     * Kafka answers a Produce carrying transactional batches without a transactional id with
     * TRANSACTIONAL_ID_AUTHORIZATION_FAILED (53) for every partition, before any append (KafkaApis'
     * handleProduceRequest; the transactional id is what authorizes transactional writes). Here the producer's
     * transaction is open on the partition, so nothing else stops the batch.
     */
    @Test
    void transactionalRecordsWithoutATransactionalIdAreTransactionalIdAuthorizationFailed() throws Exception {
        InitProducerIdResponseData id = init("no-id");
        assertEquals(Map.of(TOPIC, Map.of(5, Errors.NONE)),
                addPartitions("no-id", id, List.of(new TopicPartition(TOPIC, 5))));
        assertEquals(Errors.NONE, produce("no-id", 5, txnRecords(id, 0, "first")));
        long before = partition(5).logEndOffset();
        Errors e = produce(null, 5, txnRecords(id, 1, "without transactional id"));
        long after = partition(5).logEndOffset();
        assertEquals(Errors.NONE, endTxn("no-id", id.producerId(), id.producerEpoch(), false, (short) 3));
        assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, e);
        assertEquals(before, after, "nothing appended");
    }
}
