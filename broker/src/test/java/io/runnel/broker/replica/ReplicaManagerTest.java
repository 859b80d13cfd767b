package io.runnel.broker.replica;

import io.runnel.broker.testing.Images;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.record.MetadataRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicaManagerTest {
    static final long NOW = 1_800_000_000_000L;
    static final TopicPartition T0 = new TopicPartition("t", 0);
    @TempDir
    Path dir;
    final AtomicLong clock = new AtomicLong(NOW);
    ReplicaManager rm;
    MetadataImage image;

    ReplicaManager start() {
        rm = new ReplicaManager(ReplicaSettings.defaults(1, List.of(dir)), "c", clock::get);
        return rm;
    }

    @AfterEach
    void stop() {
        if (rm != null) {
            rm.close();
        }
    }

    void publish(List<MetadataRecord> records) {
        image = Images.apply(image == null ? MetadataImage.empty("c") : image, records);
        rm.applyImage(image);
    }

    UUID topic(String name, int partitions, Map<String, String> configs) {
        UUID id = UUID.randomUUID();
        publish(Images.topicOnBroker(name, id, partitions, 1, configs));
        return id;
    }

    static ByteBuffer batch(long firstTimestamp, int count) {
        return batch(Compression.NONE, firstTimestamp, count);
    }

    static ByteBuffer batch(Compression compression, long firstTimestamp, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(firstTimestamp + i, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    ("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(compression, records).buffer();
    }

    static ByteBuffer idempotent(long pid, short epoch, int seq, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(NOW, ("v" + (seq + i)).getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, pid, epoch, seq, records).buffer();
    }

    ProducePartitionResult produce(TopicPartition tp, ByteBuffer records, short acks) throws Exception {
        Map<TopicPartition, ByteBuffer> m = new LinkedHashMap<>();
        m.put(tp, records);
        return rm.appendRecords(acks, 30_000, m).get(10, TimeUnit.SECONDS).get(tp);
    }

    List<Record> readAll(TopicPartition tp) throws Exception {
        ByteBuffer bytes = rm.partition(tp).log().read(0, Integer.MAX_VALUE, Long.MAX_VALUE).readAll();
        List<Record> out = new ArrayList<>();
        MemoryRecords.readableRecords(bytes).records().forEach(out::add);
        return out;
    }

    @Test
    void hostsWhatTheImageAssignsAndDeletesRemovedTopics() throws Exception {
        start();
        publish(List.of(Images.broker(1, "h", 1), Images.broker(2, "h", 2)));
        UUID id = topic("t", 2, Map.of());
        UUID other = UUID.randomUUID();
        publish(List.of(Images.topic("elsewhere", other), Images.partition(other, 0, List.of(2), 2, 0)));
        assertNotNull(rm.partition(T0));
        assertNull(rm.partition(new TopicPartition("elsewhere", 0)));
        assertTrue(Files.readString(dir.resolve("t-0").resolve("partition.metadata")).contains("topic_id"));
        assertEquals(Errors.NONE, produce(T0, batch(NOW, 3), (short) 1).error());

        publish(List.of(Images.removeTopic(id)));
        assertNull(rm.partition(T0));
        assertFalse(Files.exists(dir.resolve("t-0")));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, produce(T0, batch(NOW, 1), (short) 1).error());

        topic("t", 1, Map.of());
        assertEquals(0, rm.partition(T0).logEndOffset());
    }

    @Test
    void aDirectoryOfAnEarlierTopicWithTheSameNameIsReplaced() throws Exception {
        start();
        topic("t", 1, Map.of());
        produce(T0, batch(NOW, 5), (short) 1);
        rm.close();
        image = null;
        start();
        topic("t", 1, Map.of()); // a new id for the same name
        assertEquals(0, rm.partition(T0).logEndOffset());
    }

    @Test
    void producesAreValidatedAndRefusedOnesAppendNothing() throws Exception {
        start();
        publish(List.of(Images.broker(1, "h", 1), Images.broker(2, "h", 2)));
        topic("t", 1, Map.of("max.message.bytes", "400", "message.timestamp.after.max.ms", "1000"));
        ByteBuffer corrupt = batch(NOW, 3);
        corrupt.put(corrupt.limit() - 1, (byte) (corrupt.get(corrupt.limit() - 1) ^ 1));
        assertEquals(Errors.CORRUPT_MESSAGE, produce(T0, corrupt, (short) 1).error());
        ByteBuffer two = ByteBuffer.allocate(200);
        two.put(batch(NOW, 1)).put(batch(NOW, 1)).flip();
        assertEquals(Errors.INVALID_RECORD, produce(T0, two, (short) 1).error());
        assertEquals(Errors.MESSAGE_TOO_LARGE, produce(T0, batch(NOW, 40), (short) 1).error());
        assertEquals(Errors.INVALID_TIMESTAMP, produce(T0, batch(NOW + 5_000, 1), (short) 1).error());
        assertEquals(Errors.NOT_ENOUGH_REPLICAS, produceWithIsrTooSmall());
        assertEquals(0, rm.partition(T0).logEndOffset());

        ProducePartitionResult ok = produce(T0, batch(NOW - 1_000_000, 3), (short) 1);
        assertEquals(Errors.NONE, ok.error());
        assertEquals(0, ok.baseOffset());
        assertEquals(3, rm.partition(T0).highWatermark());

        UUID led = UUID.randomUUID();
        publish(List.of(Images.topic("led", led), Images.partition(led, 0, List.of(2, 1), 2, 4)));
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, produce(new TopicPartition("led", 0), batch(NOW, 1),
                (short) 1).error());
    }

    private Errors produceWithIsrTooSmall() throws Exception {
        topic("strict", 1, Map.of("min.insync.replicas", "2"));
        return produce(new TopicPartition("strict", 0), batch(NOW, 1), (short) -1).error();
    }

    @Test
    void logAppendTimeTopicsAreStampedWithTheBrokerClock() throws Exception {
        start();
        topic("t", 1, Map.of("message.timestamp.type", "LogAppendTime"));
        ProducePartitionResult r = produce(T0, batch(5, 2), (short) 1);
        assertEquals(NOW, r.logAppendTime());
        MutableRecordBatch stored = MemoryRecords.readableRecords(rm.partition(T0).log()
                .read(0, 1000, Long.MAX_VALUE).readAll()).batches().iterator().next();
        assertEquals(TimestampType.LOG_APPEND_TIME, stored.timestampType());
        assertEquals(NOW, stored.maxTimestamp());
        stored.ensureValid();
    }

    @Test
    void duplicatesAnswerTheOriginalOffsetsAlsoAfterAReopen() throws Exception {
        start();
        topic("t", 1, Map.of());
        produce(T0, batch(NOW, 4), (short) 1);
        assertEquals(4, produce(T0, idempotent(42, (short) 0, 0, 2), (short) -1).baseOffset());
        assertEquals(6, produce(T0, idempotent(42, (short) 0, 2, 2), (short) -1).baseOffset());
        ProducePartitionResult dup = produce(T0, idempotent(42, (short) 0, 0, 2), (short) -1);
        assertEquals(Errors.NONE, dup.error());
        assertEquals(4, dup.baseOffset());
        assertEquals(8, rm.partition(T0).logEndOffset());
        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER,
                produce(T0, idempotent(42, (short) 0, 9, 1), (short) 1).error());

        rm.close();
        MetadataImage kept = image;
        start();
        rm.applyImage(kept);
        assertEquals(1, rm.partition(T0).producerCount());
        assertEquals(6, produce(T0, idempotent(42, (short) 0, 2, 2), (short) 1).baseOffset());
        assertEquals(8, produce(T0, idempotent(42, (short) 1, 0, 1), (short) 1).baseOffset());
        assertEquals(Errors.INVALID_PRODUCER_EPOCH, produce(T0, idempotent(42, (short) 0, 4, 1), (short) 1).error());
    }

    @Test
    void aLongPollIsWokenByAnAppendAndOtherwiseExpires() throws Exception {
        start();
        topic("t", 1, Map.of());
        FetchParams wait = new FetchParams(-1, 60_000, 1, 1 << 20, List.of(new FetchPartition(T0, 0, 1 << 20, -1)));
        CompletableFuture<List<FetchPartitionData>> parked = rm.fetchMessages(wait);
        assertFalse(parked.isDone());
        produce(T0, batch(NOW, 3), (short) 1);
        FetchPartitionData data = parked.get(10, TimeUnit.SECONDS).get(0);
        assertEquals(Errors.NONE, data.error());
        assertEquals(3, data.highWatermark());
        assertTrue(data.records().length() > 0);

        FetchParams brief = new FetchParams(-1, 50, 1, 1 << 20, List.of(new FetchPartition(T0, 3, 1 << 20, -1)));
        FetchPartitionData empty = rm.fetchMessages(brief).get(10, TimeUnit.SECONDS).get(0);
        assertEquals(0, empty.records().length());

        FetchParams outOfRange = new FetchParams(-1, 60_000, 1, 1 << 20,
                List.of(new FetchPartition(T0, 99, 1 << 20, -1)));
        assertEquals(Errors.OFFSET_OUT_OF_RANGE,
                rm.fetchMessages(outOfRange).get(10, TimeUnit.SECONDS).get(0).error());
        FetchParams fenced = new FetchParams(-1, 60_000, 1, 1 << 20, List.of(new FetchPartition(T0, 0, 1 << 20, 7)));
        assertEquals(Errors.UNKNOWN_LEADER_EPOCH, rm.fetchMessages(fenced).get(10, TimeUnit.SECONDS).get(0).error());
    }

    @Test
    void acksAllWaitsForTheHighWatermarkOfTheIsr() throws Exception {
        start();
        publish(List.of(Images.broker(1, "h", 1), Images.broker(2, "h", 2)));
        UUID id = UUID.randomUUID();
        publish(List.of(Images.topic("r2", id), Images.partition(id, 0, List.of(1, 2), 1, 0)));
        TopicPartition tp = new TopicPartition("r2", 0);
        Map<TopicPartition, ByteBuffer> m = Map.of(tp, batch(NOW, 2));
        CompletableFuture<Map<TopicPartition, ProducePartitionResult>> f = rm.appendRecords((short) -1, 60_000, m);
        assertFalse(f.isDone());
        assertEquals(0, rm.partition(tp).highWatermark());
        FetchParams followerFetch = new FetchParams(2, 0, 1, 1 << 20, List.of(new FetchPartition(tp, 2, 1 << 20, -1,
                -1)));
        assertEquals(Errors.NONE, rm.fetchMessages(followerFetch).get(10, TimeUnit.SECONDS).get(0).error());
        assertEquals(Errors.NONE, f.get(10, TimeUnit.SECONDS).get(tp).error());

        CompletableFuture<Map<TopicPartition, ProducePartitionResult>> slow = rm.appendRecords((short) -1, 50,
                Map.of(tp, batch(NOW, 1)));
        assertEquals(Errors.REQUEST_TIMED_OUT, slow.get(10, TimeUnit.SECONDS).get(tp).error());
    }

    @Test
    void listOffsetsFindsExactOffsetsInCompressedBatches() throws Exception {
        start();
        topic("t", 1, Map.of());
        produce(T0, batch(Compression.gzip().build(), NOW - 100, 10), (short) 1);
        produce(T0, batch(Compression.zstd().build(), NOW - 50, 10), (short) 1);
        assertEquals(0, rm.fetchOffsetForTimestamp(T0, ListOffsetsRequest.EARLIEST_TIMESTAMP, -1).offset());
        assertEquals(20, rm.fetchOffsetForTimestamp(T0, ListOffsetsRequest.LATEST_TIMESTAMP, -1).offset());
        OffsetLookupResult r = rm.fetchOffsetForTimestamp(T0, NOW - 95, -1);
        assertEquals(5, r.offset());
        assertEquals(NOW - 95, r.timestamp());
        assertEquals(13, rm.fetchOffsetForTimestamp(T0, NOW - 47, 0).offset());
        OffsetLookupResult max = rm.fetchOffsetForTimestamp(T0, ListOffsetsRequest.MAX_TIMESTAMP, -1);
        assertEquals(19, max.offset());
        assertEquals(NOW - 41, max.timestamp());
        assertEquals(-1, rm.fetchOffsetForTimestamp(T0, NOW, -1).offset());
        assertEquals(Errors.UNKNOWN_LEADER_EPOCH, rm.fetchOffsetForTimestamp(T0, -1, 5).error());
        UUID later = UUID.randomUUID();
        publish(List.of(Images.topic("later", later), Images.partition(later, 0, List.of(1), 1, 3)));
        assertEquals(Errors.FENCED_LEADER_EPOCH,
                rm.fetchOffsetForTimestamp(new TopicPartition("later", 0), -1, 1).error());
        assertEquals(3, rm.fetchOffsetForTimestamp(new TopicPartition("later", 0), -1, 3).leaderEpoch());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                rm.fetchOffsetForTimestamp(new TopicPartition("nope", 0), -1, -1).error());
        assertEquals(2, readAll(T0).stream().filter(rec -> rec.offset() % 10 == 0).count());
    }
}
