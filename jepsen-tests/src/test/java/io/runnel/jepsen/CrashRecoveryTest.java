package io.runnel.jepsen;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 4's crash acceptance with a real process: an idempotent acks=all producer writes to a combined
 * broker+controller node that is {@code kill -9}ed in the middle of the run and restarted while the producer keeps
 * retrying ({@value #IN_FLIGHT} records unacknowledged at the restart). Afterwards every acknowledged record (all
 * {@value #RECORDS} of them) is readable at the partition and offset it was acknowledged with, every partition's
 * offsets run from 0 without a gap, and no record is there twice (the idempotent producer's state is rebuilt from the
 * log on restart).
 */
class CrashRecoveryTest {
    private static final String TOPIC = "acked";
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 30_000;
    private static final int IN_FLIGHT = 2_000;
    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private ProcessCluster cluster;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Where the broker said record {@code index} is. */
    record Ack(int partition, long offset) {
    }

    @Test
    void everyAcknowledgedRecordSurvivesKillNineAndOffsetsStayContiguous() throws Exception {
        cluster = new ProcessCluster(dir, 1, true, Map.of());
        NodeProcess node = cluster.node(1);
        node.start();
        node.awaitLog("Broker 1 is now unfenced", START_LIMIT);
        String bootstrap = "127.0.0.1:" + cluster.brokerPort(1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }

        Map<Integer, Ack> acked = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        Properties pp = new Properties();
        pp.put("bootstrap.servers", bootstrap);
        pp.put("acks", "all");
        pp.put("enable.idempotence", "true");
        pp.put("linger.ms", "2");
        pp.put("request.timeout.ms", "5000");
        pp.put("delivery.timeout.ms", "120000");
        pp.put("reconnect.backoff.max.ms", "200");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp, new StringSerializer(),
                new StringSerializer())) {
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < RECORDS && !stop.get(); i++) {
                        inFlight.acquire();
                        int index = i;
                        producer.send(new ProducerRecord<>(TOPIC, "key-" + i, value(i)), (md, e) -> {
                            if (e == null) {
                                acked.put(index, new Ack(md.partition(), md.offset()));
                            } else {
                                failures.add(index + ": " + e);
                            }
                            inFlight.release();
                        });
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failures.add("send: " + e);
                }
            }, "acks-all-writer");
            writer.start();
            try {
                Waits.await("5,000 acknowledged records", Duration.ofSeconds(60), () -> acked.size() >= 5_000);
                node.kill9();
                // the run goes on: the writer fills the producer with records that cannot be acknowledged now
                Waits.await(IN_FLIGHT + " unacknowledged records", Duration.ofSeconds(30),
                        () -> inFlight.availablePermits() == 0);

                node.start();
                node.awaitLog("Broker 1 is now unfenced", START_LIMIT);
                writer.join(TimeUnit.SECONDS.toMillis(150));
            } finally {
                stop.set(true);
                writer.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertFalse(writer.isAlive(), "the writer did not finish");
            producer.flush();
        }
        assertEquals(List.of(), List.copyOf(failures), "no send may fail: the producer retries across the restart");
        assertEquals(RECORDS, acked.size(), "every record was acknowledged");

        Map<Integer, ConsumerRecord<String, String>> read = readEverything(bootstrap);
        for (Map.Entry<Integer, Ack> e : acked.entrySet()) {
            ConsumerRecord<String, String> r = read.get(e.getKey());
            assertNotNull(r, "acknowledged record " + e.getKey() + " at " + e.getValue() + " is gone");
            assertEquals(e.getValue(), new Ack(r.partition(), r.offset()), "record " + e.getKey());
            assertEquals(value(e.getKey()), r.value());
        }
        assertEquals(RECORDS, read.size(), "records in the log that were never sent");
    }

    private static String value(int i) {
        return "value-" + i + "-" + "x".repeat(100 + i % 200);
    }

    /**
     * Reads every partition from offset 0 to its end offset, checking that offsets are contiguous and that no
     * record index appears twice.
     *
     * @return the records by index
     */
    private static Map<Integer, ConsumerRecord<String, String>> readEverything(String bootstrap) {
        Properties cp = new Properties();
        cp.put("bootstrap.servers", bootstrap);
        cp.put("max.poll.records", "5000");
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            tps.add(new TopicPartition(TOPIC, p));
        }
        Map<Integer, ConsumerRecord<String, String>> byIndex = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
            Map<Integer, Long> next = new HashMap<>();
            tps.forEach(tp -> next.put(tp.partition(), 0L));
            Waits.await("every partition read to its end offset " + ends, Duration.ofSeconds(60), () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    long expected = next.get(r.partition());
                    assertEquals(expected, r.offset(), "a gap in partition " + r.partition());
                    next.put(r.partition(), expected + 1);
                    int index = Integer.parseInt(r.key().substring("key-".length()));
                    ConsumerRecord<String, String> earlier = byIndex.put(index, r);
                    assertTrue(earlier == null, () -> "record " + index + " is in the log twice: at "
                            + earlier.partition() + "/" + earlier.offset() + " and " + r.partition() + "/"
                            + r.offset());
                }
                return tps.stream().allMatch(tp -> next.get(tp.partition()) >= ends.get(tp));
            });
        }
        return byIndex;
    }
}
