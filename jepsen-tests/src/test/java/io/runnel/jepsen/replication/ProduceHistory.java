package io.runnel.jepsen.replication;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An idempotent acks=all producer sending numbered records ({@code value = N}) at a bounded rate in its own thread,
 * at least {@code count} of them and on until {@link #finish()} (so that the faults of a slow run still meet a
 * producer that is sending; with a fixed count it could be done before the last fault, CI: AcknowledgedWritesTest),
 * recording what each send was told (partition and offset, or the error); then the check of issue 5: a consumer reads
 * every acknowledged record, exactly once, at the offset the producer was told, in order per partition. Records never
 * acknowledged may be present or absent, but never twice.
 */
final class ProduceHistory {
    /** Where an acknowledged record went. */
    record Ack(int partition, long offset) {
    }

    private final String bootstrap;
    private final String topic;
    private final int count;
    private final int perSecond;
    private final Map<Integer, Ack> acked = new ConcurrentHashMap<>();
    private final Map<Integer, String> failed = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    /** nanoTime of the last acknowledgement, and the longest gap between two (ns); updated on the I/O thread. */
    private long lastAckNanos;
    private long longestGapNanos;
    private volatile boolean finishing;
    private Thread thread;

    ProduceHistory(String bootstrap, String topic, int count, int perSecond) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.count = count;
        this.perSecond = perSecond;
    }

    void start() {
        thread = new Thread(this::run, "produce-history");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, ProducerConfig.METADATA_MAX_AGE_CONFIG, 2_000);
        long startNanos = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < count || !finishing; i++) {
                long due = startNanos + (long) i * 1_000_000_000L / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                int n = i;
                producer.send(new ProducerRecord<>(topic, Integer.toString(n), Integer.toString(n)), (m, e) -> {
                    if (e == null) {
                        acked.put(n, new Ack(m.partition(), m.offset()));
                        noteAck();
                    } else {
                        failed.put(n, e.toString());
                    }
                });
                sent.incrementAndGet();
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void noteAck() {
        long now = System.nanoTime();
        if (lastAckNanos != 0) {
            longestGapNanos = Math.max(longestGapNanos, now - lastAckNanos);
        }
        lastAckNanos = now;
    }

    /** The longest time between two acknowledgements so far, ms: how long the producer saw no throughput. */
    synchronized long longestAckGapMs() {
        return longestGapNanos / 1_000_000;
    }

    int acknowledged() {
        return acked.size();
    }

    /** Stops sending once {@code count} records were sent, waits for every send to be answered (the producer's
     *  delivery timeout bounds it). */
    void finish(Duration limit) throws InterruptedException {
        finishing = true;
        thread.join(limit.toMillis());
        if (thread.isAlive()) {
            fail("the producer did not finish within " + limit + ": " + acked.size() + " acked, " + failed.size()
                    + " failed of " + sent.get());
        }
    }

    /** Reads every partition to its end and checks the history; returns a one-line summary. */
    String check(int partitions) {
        Map<Integer, List<ConsumerRecord<String, String>>> byPartition = consumeAll(partitions);
        Map<Integer, Integer> seenCount = new HashMap<>();
        Map<Integer, Ack> seenAt = new HashMap<>();
        for (Map.Entry<Integer, List<ConsumerRecord<String, String>>> e : byPartition.entrySet()) {
            int lastValue = -1;
            long lastOffset = -1;
            for (ConsumerRecord<String, String> r : e.getValue()) {
                int value = Integer.parseInt(r.value());
                seenCount.merge(value, 1, Integer::sum);
                seenAt.put(value, new Ack(r.partition(), r.offset()));
                assertTrue(r.offset() > lastOffset, "offsets increase in partition " + e.getKey());
                assertTrue(value > lastValue, "record " + value + " after " + lastValue + " in partition "
                        + e.getKey() + ": the producer's order is lost");
                lastOffset = r.offset();
                lastValue = value;
            }
        }
        List<Integer> lost = new ArrayList<>();
        acked.forEach((value, ack) -> {
            Ack at = seenAt.get(value);
            if (at == null) {
                lost.add(value);
            } else {
                assertEquals(ack, at, "record " + value + " is not where the producer was told");
            }
        });
        assertTrue(lost.isEmpty(), lost.size() + " acknowledged records lost, e.g. " + lost.subList(0,
                Math.min(10, lost.size())));
        seenCount.forEach((value, n) -> assertEquals(1, n, "record " + value + " read " + n + " times"));
        return acked.size() + " acknowledged, " + failed.size() + " failed, " + seenCount.size() + " read";
    }

    private Map<Integer, List<ConsumerRecord<String, String>>> consumeAll(int partitions) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        Map<Integer, List<ConsumerRecord<String, String>>> out = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
                out.put(p, new ArrayList<>());
            }
            consumer.assign(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    fail("could not read to the end offsets " + end);
                }
                consumer.poll(Duration.ofMillis(500)).forEach(r -> out.get(r.partition()).add(r));
            }
        }
        return out;
    }
}
