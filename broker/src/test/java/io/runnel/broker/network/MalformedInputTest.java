package io.runnel.broker.network;

import io.runnel.broker.testing.RawClient;
import io.runnel.broker.testing.TestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input closes only the connection that sent it: a producer and a consumer keep working throughout, on the
 * connections they opened before (their connection-close counters stay at zero).
 */
class MalformedInputTest {
    @TempDir
    Path dir;

    interface BadInput {
        void send(RawClient c) throws IOException;
    }

    static ByteBuffer header(int key, int version, int correlationId) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putShort((short) key).putShort((short) version).putInt(correlationId).putShort((short) -1);
        b.putInt(0);
        return b.flip();
    }

    static Map<String, BadInput> badInputs() {
        Map<String, BadInput> m = new LinkedHashMap<>();
        m.put("random bytes in a frame", c -> {
            byte[] garbage = new byte[64 * 1024];
            new Random(20261121L).nextBytes(garbage);
            garbage[0] = 0x7F; // an api key no Kafka version knows
            c.writeFrame(ByteBuffer.wrap(garbage));
        });
        m.put("random bytes without framing", c -> {
            byte[] garbage = new byte[4096];
            new Random(7L).nextBytes(garbage);
            garbage[0] = (byte) 0xC3; // a negative frame size
            c.write(garbage);
        });
        m.put("a frame claiming 2 GiB", c -> c.write(new byte[]{(byte) 0x80, 0, 0, 0, 0, 0, 0, 1}));
        m.put("a frame claiming 2 GiB - 1", c -> c.write(new byte[]{0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0}));
        m.put("an unknown api key", c -> c.writeFrame(header(999, 0, 1)));
        m.put("an api the broker does not offer", c -> c.writeFrame(header(24, 0, 1))); // AddPartitionsToTxn
        m.put("Metadata v13 (above the range)", c -> c.writeFrame(header(3, 13, 1)));
        m.put("Fetch v3 (below the range)", c -> c.writeFrame(header(1, 3, 1)));
        m.put("a truncated Metadata body", c -> {
            ByteBuffer b = ByteBuffer.allocate(12);
            b.putShort((short) 3).putShort((short) 4).putInt(1).putShort((short) -1).putShort((short) 0x7FFF);
            c.writeFrame(b.flip());
        });
        return m;
    }

    @Test
    void badInputClosesOnlyItsOwnConnection() throws Exception {
        try (TestBroker broker = TestBroker.start(dir)) {
            broker.createTopic("steady", 1, Map.of());
            Properties pp = new Properties();
            pp.put("bootstrap.servers", broker.bootstrap());
            pp.put("acks", "all");
            pp.put("linger.ms", "0");
            Properties cp = new Properties();
            cp.put("bootstrap.servers", broker.bootstrap());
            TopicPartition tp = new TopicPartition("steady", 0);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp, new StringSerializer(),
                    new StringSerializer());
                 KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp, new StringDeserializer(),
                         new StringDeserializer())) {
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger acked = new AtomicInteger();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                CompletableFuture<Void> steadyProducer = CompletableFuture.runAsync(() -> {
                    try {
                        while (!stop.get()) {
                            int n = acked.get();
                            producer.send(new ProducerRecord<>("steady", 0, "k" + n, "v" + n)).get(30,
                                    TimeUnit.SECONDS);
                            acked.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failure.set(e);
                    }
                });
                List<ConsumerRecord<String, String>> consumed = new ArrayList<>();
                for (Map.Entry<String, BadInput> bad : badInputs().entrySet()) {
                    try (RawClient raw = new RawClient(broker.port())) {
                        bad.getValue().send(raw);
                        raw.assertClosedByBroker();
                    }
                    // the steady clients keep going: more records acknowledged, and consumed
                    int target = acked.get() + 3;
                    consumeUntil(consumer, consumed, target, bad.getKey());
                }
                stop.set(true);
                steadyProducer.get(60, TimeUnit.SECONDS);
                assertNull(failure.get());
                consumeUntil(consumer, consumed, acked.get(), "the end");
                for (int i = 0; i < consumed.size(); i++) {
                    assertEquals(i, consumed.get(i).offset());
                    assertEquals("v" + i, consumed.get(i).value());
                }
                assertEquals(0.0, closes(producer.metrics()), "the producer's connections were closed");
                assertEquals(0.0, closes(consumer.metrics()), "the consumer's connections were closed");
            }
        }
    }

    private static void consumeUntil(KafkaConsumer<String, String> consumer, List<ConsumerRecord<String, String>> into,
                                     int count, String after) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (into.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(into::add);
        }
        assertTrue(into.size() >= count, "after " + after + ": consumed " + into.size() + " of " + count);
    }

    private static double closes(Map<MetricName, ? extends Metric> metrics) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().name().equals("connection-close-total")
                        && (e.getKey().group().equals("producer-metrics") || e.getKey().group().equals("consumer-metrics")))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}
