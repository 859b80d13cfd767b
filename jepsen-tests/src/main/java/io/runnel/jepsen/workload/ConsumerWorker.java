package io.runnel.jepsen.workload;

import io.runnel.jepsen.history.History;
import io.runnel.jepsen.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One consumer process of the queue workload. An {@code assign} consumer takes every partition and reads from
 * offset 0 ({@code auto.offset.reset=none}: an out-of-range position is an error to see, not a silent reset); a
 * {@code subscribe} consumer joins the workload's group, reads from its committed offsets ({@code earliest} without
 * one) and commits after each poll. Each poll is recorded as invoke then ok (with every record's offset and value)
 * or info. After an error, and every 20 to 40 s anyway, the consumer is closed and a new one opened ({@code crash}),
 * which also resets what the checker expects of its next reads.
 */
final class ConsumerWorker implements Runnable {
    private static final Duration POLL = Duration.ofMillis(50);

    private final QueueConfig config;
    private final History history;
    private final int process;
    private final boolean subscribe;
    private final Random random;
    private final BooleanSupplier running;

    ConsumerWorker(QueueConfig config, History history, int process, boolean subscribe, long seed,
                   BooleanSupplier running) {
        this.config = config;
        this.history = history;
        this.process = process;
        this.subscribe = subscribe;
        this.random = new Random(seed);
        this.running = running;
    }

    private KafkaConsumer<String, Long> open() {
        Map<String, Object> c = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000,
                ConsumerConfig.CLIENT_ID_CONFIG, "jepsen-consumer-" + process));
        if (subscribe) {
            c.put(ConsumerConfig.GROUP_ID_CONFIG, config.group());
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
            c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        } else {
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        }
        return new KafkaConsumer<>(c, new StringDeserializer(), new LongDeserializer());
    }

    private List<TopicPartition> partitions() {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < config.partitions(); p++) {
            tps.add(new TopicPartition(config.topic(), p));
        }
        return tps;
    }

    private KafkaConsumer<String, Long> start() {
        KafkaConsumer<String, Long> consumer = open();
        List<Integer> all = partitions().stream().map(TopicPartition::partition).toList();
        if (subscribe) {
            history.record(Op.invoke(process, Op.F.SUBSCRIBE));
            consumer.subscribe(List.of(config.topic()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                    history.record(Op.assignmentOk(process, Op.F.REBALANCE,
                            consumer.assignment().stream().map(TopicPartition::partition).sorted().toList()));
                }
            });
            history.record(Op.assignmentOk(process, Op.F.SUBSCRIBE, all));
        } else {
            history.record(Op.invoke(process, Op.F.ASSIGN));
            consumer.assign(partitions());
            consumer.seekToBeginning(partitions());
            history.record(Op.assignmentOk(process, Op.F.ASSIGN, all));
        }
        return consumer;
    }

    @Override
    public void run() {
        Pacer pacer = new Pacer(config.intervalNanos());
        KafkaConsumer<String, Long> consumer = start();
        long restartAt = System.nanoTime() + (20_000L + random.nextInt(20_000)) * 1_000_000;
        try {
            while (running.getAsBoolean()) {
                pacer.await();
                boolean failed = false;
                history.record(Op.invoke(process, Op.F.POLL));
                try {
                    ConsumerRecords<String, Long> records = consumer.poll(POLL);
                    Map<Integer, List<Op.Read>> reads = new HashMap<>();
                    for (ConsumerRecord<String, Long> r : records) {
                        reads.computeIfAbsent(r.partition(), k -> new ArrayList<>())
                                .add(new Op.Read(r.offset(), r.value()));
                    }
                    history.record(Op.readOk(process, Op.F.POLL, reads));
                    if (subscribe && !records.isEmpty()) {
                        try {
                            consumer.commitSync(Duration.ofSeconds(3));
                        } catch (RuntimeException e) {
                            // a lost commit only means re-reading after the next rebalance
                        }
                    }
                } catch (org.apache.kafka.common.errors.InterruptException e) {
                    history.record(Op.error(process, Op.Type.INFO, Op.F.POLL, Outcomes.describe(e)));
                    return;
                } catch (RuntimeException e) {
                    history.record(Op.error(process, Outcomes.classify(e), Op.F.POLL, Outcomes.describe(e)));
                    failed = true;
                }
                if (failed || System.nanoTime() > restartAt) {
                    history.record(Op.invoke(process, Op.F.CRASH));
                    consumer.close(Duration.ofSeconds(1));
                    history.record(Op.ok(process, Op.F.CRASH));
                    consumer = start();
                    restartAt = System.nanoTime() + (20_000L + random.nextInt(20_000)) * 1_000_000;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
