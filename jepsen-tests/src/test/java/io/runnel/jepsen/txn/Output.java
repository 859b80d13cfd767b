package io.runnel.jepsen.txn;

import io.runnel.jepsen.Waits;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What a client sees of a topic after the run: end offsets per isolation level and a read_committed read. */
final class Output {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private final String bootstrap;
    private final Admin admin;

    Output(String bootstrap, Admin admin) {
        this.bootstrap = bootstrap;
        this.admin = admin;
    }

    private static List<TopicPartition> partitions(String topic, int n) {
        List<TopicPartition> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new TopicPartition(topic, i));
        }
        return out;
    }

    /**
     * ListOffsets latest of every partition: the last stable offset with {@code readCommitted}, else the high
     * watermark.
     */
    Map<TopicPartition, Long> endOffsets(String topic, int n, boolean readCommitted) throws Exception {
        Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
        partitions(topic, n).forEach(tp -> spec.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(spec, new ListOffsetsOptions(readCommitted ? IsolationLevel.READ_COMMITTED
                : IsolationLevel.READ_UNCOMMITTED)).all().get(10, TimeUnit.SECONDS)
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /**
     * Waits until every partition's last stable offset is its high watermark: no transaction is left open (an
     * abandoned one is aborted by the next producer of its id or by the coordinator after its timeout, 10 s here).
     */
    void awaitNoOpenTransaction(String topic, int n) {
        String[] last = {"no answer"};
        try {
            Waits.await("no open transaction on " + topic + " (last stable offset = high watermark)", LIMIT, () -> {
                try {
                    Map<TopicPartition, Long> lso = endOffsets(topic, n, true);
                    Map<TopicPartition, Long> hw = endOffsets(topic, n, false);
                    last[0] = "LSO " + lso + ", HW " + hw;
                    return lso.equals(hw);
                } catch (Exception e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen " + last[0], e);
        }
    }

    /** Every value of {@code topic} a fresh read_committed consumer reads from the start to the end offsets. */
    List<String> readCommitted(String topic, int n) {
        List<TopicPartition> tps = partitions(topic, n);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000, ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000),
                new StringDeserializer(), new StringDeserializer())) {
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end offsets " + end);
                }
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            return values;
        }
    }
}
