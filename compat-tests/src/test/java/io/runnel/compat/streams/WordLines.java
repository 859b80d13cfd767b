package io.runnel.compat.streams;

import io.runnel.compat.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The word count's input, a fixed pseudo-random list of lines over a small vocabulary with its exact word multiset,
 * and the two ends of the test: producing the lines (idempotently) and reading the last count per word back.
 */
final class WordLines {

    private static final List<String> VOCABULARY = List.of("river", "stream", "brook", "creek", "delta", "rapid",
            "eddy", "ford", "bank", "weir", "lock", "canal", "runnel", "rill", "spring", "source", "mouth", "bend",
            "pool", "falls", "shoal", "channel", "current", "estuary");

    private final List<String> lines;
    private final Map<String, Long> counts;

    private WordLines(List<String> lines, Map<String, Long> counts) {
        this.lines = lines;
        this.counts = counts;
    }

    /** {@code n} lines of 1 to 8 words each, the same for the same seed. */
    static WordLines generate(int n, long seed) {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>(n);
        Map<String, Long> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            StringJoiner line = new StringJoiner(" ");
            int words = 1 + random.nextInt(8);
            for (int w = 0; w < words; w++) {
                String word = VOCABULARY.get(random.nextInt(VOCABULARY.size()));
                line.add(word);
                counts.merge(word, 1L, Long::sum);
            }
            lines.add(line.toString());
        }
        return new WordLines(lines, counts);
    }

    /** How often each word occurs in the lines. */
    Map<String, Long> expectedCounts() {
        return counts;
    }

    /**
     * How many lines the producer may send so far: the test opens it stage by stage, so that each crash happens while
     * input is still to come.
     */
    static final class Gate {
        private int limit;

        /** Lets the producer send lines {@code 0..upTo-1}. */
        synchronized void open(int upTo) {
            limit = Math.max(limit, upTo);
            notifyAll();
        }

        /** Blocks until line {@code index} may be sent. */
        synchronized void await(int index) throws InterruptedException {
            while (index >= limit) {
                wait();
            }
        }
    }

    /**
     * Sends every line (key {@code line-<i>}) with an idempotent producer ({@code acks=all}, retried through broker
     * failures), 20 lines at a time, each batch flushed before the next, so the input keeps arriving for a while
     * instead of all at once, and no line before {@code gate} lets it; {@code acked} counts the acknowledged lines.
     *
     * @throws Exception the first send failure (an idempotent producer's send fails only when it gave up)
     */
    void produce(String bootstrap, String topic, Gate gate, AtomicInteger acked) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < lines.size(); i++) {
                gate.await(i);
                producer.send(new ProducerRecord<>(topic, "line-" + i, lines.get(i)), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
                if (i % 20 == 19 || i == lines.size() - 1) {
                    producer.flush();
                    if (failure.get() != null) {
                        throw failure.get();
                    }
                    // Pacing, not synchronisation: some 200 lines a second, so processing keeps pace.
                    Thread.sleep(100);
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /**
     * Reads {@code topic} (partitions 0..partitions-1) with a read_committed consumer from the beginning to its end
     * (the last stable offset) and returns the last value per key: the final count of each word.
     */
    static Map<String, Long> lastCounts(String bootstrap, String topic, int partitions) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, LongDeserializer.class.getName());
        Map<String, Long> last = new HashMap<>();
        try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                tps.add(new TopicPartition(topic, i));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofSeconds(30));
            AtomicInteger records = new AtomicInteger();
            Waits.await("reading " + topic + " to its last stable offsets " + end, Duration.ofSeconds(120), () -> {
                for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(500))) {
                    last.put(r.key(), r.value());
                    records.incrementAndGet();
                }
                for (TopicPartition tp : tps) {
                    if (consumer.position(tp, Duration.ofSeconds(10)) < end.get(tp)) {
                        return false;
                    }
                }
                return true;
            }, () -> records.get() + " records read");
        }
        return last;
    }
}
