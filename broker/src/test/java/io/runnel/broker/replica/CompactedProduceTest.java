package io.runnel.broker.replica;

import io.runnel.broker.record.RecordError;
import io.runnel.broker.testing.Images;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.record.MetadataRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kafka's rule that every record of a compacted topic has a key, at the leader's append; followers copy. */
class CompactedProduceTest {
    static final long NOW = 1_800_000_000_000L;
    static final TopicPartition C0 = new TopicPartition("c", 0);
    static final TopicPartition P0 = new TopicPartition("p", 0);
    @TempDir
    Path dir;
    ReplicaManager rm;
    MetadataImage image = MetadataImage.empty("c");

    @AfterEach
    void stop() {
        if (rm != null) {
            rm.close();
        }
    }

    void start() {
        rm = new ReplicaManager(ReplicaSettings.defaults(1, List.of(dir)), "c", () -> NOW);
        publish(Images.topicOnBroker("c", UUID.randomUUID(), 1, 1, Map.of("cleanup.policy", "compact")));
        publish(Images.topicOnBroker("p", UUID.randomUUID(), 1, 1, Map.of()));
    }

    void publish(List<MetadataRecord> records) {
        image = Images.apply(image, records);
        rm.applyImage(image);
    }

    static SimpleRecord keyed(String key, String value) {
        return new SimpleRecord(NOW, key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    static SimpleRecord keyless(String value) {
        return new SimpleRecord(NOW, null, value.getBytes(StandardCharsets.UTF_8));
    }

    static ByteBuffer batch(Compression compression, SimpleRecord... records) {
        return MemoryRecords.withRecords(compression, records).buffer();
    }

    Map<TopicPartition, ProducePartitionResult> produce(Map<TopicPartition, ByteBuffer> request) throws Exception {
        return rm.appendRecords((short) 1, 30_000, request).get(10, TimeUnit.SECONDS);
    }

    ProducePartitionResult produce(TopicPartition tp, ByteBuffer records) throws Exception {
        return produce(Map.of(tp, records)).get(tp);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void keylessRecordsFailTheirBatchWithTheirIndexesAndAppendNothing(CompressionType type) throws Exception {
        start();
        Compression c = Compression.of(type).build();
        ProducePartitionResult r = produce(C0, batch(c, keyed("a", "1"), keyless("2"), keyed("b", null),
                keyless("4")));
        assertEquals(Errors.INVALID_RECORD, r.error());
        assertEquals(List.of(
                new RecordError(1, "Compacted topic cannot accept message without key in topic partition c-0."),
                new RecordError(3, "Compacted topic cannot accept message without key in topic partition c-0.")),
                r.recordErrors());
        assertEquals("One or more records have been rejected due to 2 record errors in total, and only showing the "
                + "first three errors at most: [RecordError(batchIndex=1, message='Compacted topic cannot accept "
                + "message without key in topic partition c-0.'), RecordError(batchIndex=3, message='Compacted topic "
                + "cannot accept message without key in topic partition c-0.')]", r.message());
        assertEquals(0, rm.partition(C0).logEndOffset());

        ProducePartitionResult ok = produce(C0, batch(c, keyed("a", "1"), keyed("b", null), keyed("", "empty")));
        assertEquals(Errors.NONE, ok.error(), ok.message());
        assertEquals(3, rm.partition(C0).logEndOffset());
        assertEquals(Errors.NONE, produce(P0, batch(c, keyless("x"))).error(), "not compacted: keys optional");
    }

    @Test
    void otherPartitionsOfTheRequestAreUnaffected() throws Exception {
        start();
        Map<TopicPartition, ByteBuffer> request = new LinkedHashMap<>();
        request.put(C0, batch(Compression.NONE, keyless("1")));
        request.put(P0, batch(Compression.NONE, keyless("1")));
        Map<TopicPartition, ProducePartitionResult> r = produce(request);
        assertEquals(Errors.INVALID_RECORD, r.get(C0).error());
        assertEquals(Errors.NONE, r.get(P0).error());
        assertEquals(1, rm.partition(P0).logEndOffset());
        assertEquals(0, rm.partition(C0).logEndOffset());
    }

    @Test
    void compactionSetLaterAppliesAndDeleteCompactCounts() throws Exception {
        start();
        assertEquals(Errors.NONE, produce(P0, batch(Compression.NONE, keyless("1"))).error());
        publish(List.of(Images.topicConfig("p", "cleanup.policy", "delete,compact")));
        assertEquals(Errors.INVALID_RECORD, produce(P0, batch(Compression.NONE, keyless("2"))).error());
        assertEquals(1, rm.partition(P0).logEndOffset());
    }

    @Test
    void aTimestampOutOfBoundsMakesTheBatchInvalidTimestampWithEveryFailingRecord() throws Exception {
        start();
        publish(List.of(Images.topicConfig("c", "message.timestamp.before.max.ms", "1000")));
        ProducePartitionResult r = produce(C0, batch(Compression.NONE, keyless("1"),
                new SimpleRecord(NOW - 5_000, "k".getBytes(StandardCharsets.UTF_8), null)));
        assertEquals(Errors.INVALID_TIMESTAMP, r.error());
        assertEquals(List.of(0, 1), r.recordErrors().stream().map(RecordError::batchIndex).toList());
        assertTrue(r.recordErrors().get(1).message().startsWith("Timestamp " + (NOW - 5_000)), r.message());
        assertEquals(0, rm.partition(C0).logEndOffset());
    }

    @Test
    void followersAppendWhatTheLeaderWroteWithoutTheKeyCheck() throws Exception {
        start();
        UUID id = UUID.randomUUID();
        publish(List.of(Images.broker(2, "h", 2), Images.topic("f", id), Images.partition(id, 0, List.of(2, 1), 2, 3),
                Images.topicConfig("f", "cleanup.policy", "compact")));
        TopicPartition f0 = new TopicPartition("f", 0);
        ByteBuffer fetched = MemoryRecords.withRecords(0L, Compression.NONE, 3, keyless("written before"))
                .buffer();
        assertNotNull(rm.partition(f0).appendAsFollower(fetched, 3));
        assertEquals(1, rm.partition(f0).logEndOffset());
    }
}
