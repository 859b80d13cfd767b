package io.runnel.broker.server;

import io.runnel.broker.testing.TestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real kafka-clients producer and consumer against an in-JVM broker: an idempotent acks=all producer sends
 * 100,000 keyed records with headers to 3 partitions with each codec; a consumer (assign, no group) reads them all
 * back intact and in per-partition order, at the offsets the producer was told; ListOffsets by timestamp finds exact
 * offsets inside the compressed batches.
 */
class ClientRoundTripTest {
    static final int RECORDS = 100_000;
    static final long BASE_TIMESTAMP = System.currentTimeMillis() - 3_600_000L;
    @TempDir
    static Path dir;
    static TestBroker broker;

    @BeforeAll
    static void start() {
        broker = TestBroker.start(dir);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static String key(int i) {
        return "key-" + i;
    }

    static String value(int i) {
        return "value-" + i + "-" + "x".repeat(i % 37);
    }

    static Header[] headers(int i, String codec) {
        return new Header[]{new RecordHeader("index", ByteBuffer.allocate(4).putInt(i).array()),
            new RecordHeader("codec", codec.getBytes(StandardCharsets.UTF_8))};
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void recordsComeBackIntactAndInOrder(String codec) throws Exception {
        String topic = "round-trip-" + codec;
        broker.createTopic(topic, 3, Map.of());
        int[] partitionOf = new int[RECORDS];
        long[] offsetOf = new long[RECORDS];
        Properties pp = new Properties();
        pp.put("bootstrap.servers", broker.bootstrap());
        pp.put("enable.idempotence", "true");
        pp.put("acks", "all");
        pp.put("compression.type", codec);
        pp.put("linger.ms", "5");
        pp.put("batch.size", "65536");
        AtomicReference<Exception> sendError = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                int index = i;
                producer.send(new ProducerRecord<>(topic, null, BASE_TIMESTAMP + i, key(i), value(i),
                        Arrays.asList(headers(i, codec))), (md, e) -> {
                            if (e != null) {
                                sendError.compareAndSet(null, e);
                            } else {
                                partitionOf[index] = md.partition();
                                offsetOf[index] = md.offset();
                            }
                        });
            }
            producer.flush();
        }
        assertNull(sendError.get(), () -> "send failed: " + sendError.get());

        Properties cp = new Properties();
        cp.put("bootstrap.servers", broker.bootstrap());
        cp.put("max.poll.records", "5000");
        List<TopicPartition> tps = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1),
                new TopicPartition(topic, 2));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            boolean[] seen = new boolean[RECORDS];
            int[] lastIndex = {-1, -1, -1};
            int count = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (count < RECORDS && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    int i = Integer.parseInt(r.key().substring(4));
                    assertFalse(seen[i], "record " + i + " read twice");
                    seen[i] = true;
                    count++;
                    assertEquals(value(i), r.value());
                    assertEquals(BASE_TIMESTAMP + i, r.timestamp());
                    assertEquals(TimestampType.CREATE_TIME, r.timestampType());
                    Header[] expected = headers(i, codec);
                    Header[] actual = r.headers().toArray();
                    assertEquals(expected.length, actual.length);
                    for (int h = 0; h < expected.length; h++) {
                        assertEquals(expected[h].key(), actual[h].key());
                        assertArrayEquals(expected[h].value(), actual[h].value());
                    }
                    assertEquals(partitionOf[i], r.partition());
                    assertEquals(offsetOf[i], r.offset());
                    assertTrue(i > lastIndex[r.partition()], "partition " + r.partition() + " out of order at " + i);
                    lastIndex[r.partition()] = i;
                }
            }
            assertEquals(RECORDS, count);

            Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            assertEquals(RECORDS, total, "the idempotent producer must not have written duplicates");

            Random rnd = new Random(codec.hashCode());
            for (int probe = 0; probe < 20; probe++) {
                int i = rnd.nextInt(RECORDS);
                TopicPartition tp = new TopicPartition(topic, partitionOf[i]);
                Map<TopicPartition, Long> query = new HashMap<>();
                query.put(tp, BASE_TIMESTAMP + i);
                OffsetAndTimestamp found = consumer.offsetsForTimes(query).get(tp);
                assertNotNull(found);
                assertEquals(offsetOf[i], found.offset(), "ListOffsets for record " + i);
                assertEquals(BASE_TIMESTAMP + i, found.timestamp());
            }
        }
    }
}
