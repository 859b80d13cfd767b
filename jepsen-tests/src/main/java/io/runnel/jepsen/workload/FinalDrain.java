package io.runnel.jepsen.workload;

import io.runnel.jepsen.history.History;
import io.runnel.jepsen.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The final read after the faults are healed: a new consumer assigns every partition, seeks to offset 0, asks for
 * the end offsets (retrying until a broker answers) and polls until its position reached each of them. Every poll
 * that returned is a {@code drain} invoke/ok pair; errors in between are retried with a new consumer from offset 0
 * (not recorded: they read nothing). When the end is not reached within the limit, one {@code drain} info says so.
 */
public final class FinalDrain {
    private FinalDrain() {
    }

    /**
     * Drains {@code config.topic()} into {@code history} as process {@code process}.
     *
     * @return true when every partition was read to its end offset within {@code limit}
     */
    public static boolean run(QueueConfig config, History history, int process, Duration limit,
                              java.util.function.Consumer<String> log) {
        return run(config, history, process, limit, log, false);
    }

    /**
     * Drains {@code config.topic()} into {@code history} as process {@code process}, with
     * {@code isolation.level=read_committed} when {@code readCommitted} (the end offsets are then the last stable
     * offsets, and aborted records are skipped).
     *
     * @return true when every partition was read to its end offset within {@code limit}
     */
    public static boolean run(QueueConfig config, History history, int process, Duration limit,
                              java.util.function.Consumer<String> log, boolean readCommitted) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < config.partitions(); p++) {
            tps.add(new TopicPartition(config.topic(), p));
        }
        String last = "no attempt";
        while (System.nanoTime() < deadline) {
            try (KafkaConsumer<String, Long> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                    ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted",
                    ConsumerConfig.CLIENT_ID_CONFIG, "jepsen-drain-" + process),
                    new StringDeserializer(), new LongDeserializer())) {
                c.assign(tps);
                c.seekToBeginning(tps);
                Map<TopicPartition, Long> end = c.endOffsets(tps, Duration.ofSeconds(5));
                while (System.nanoTime() < deadline) {
                    boolean done = true;
                    for (TopicPartition tp : tps) {
                        done &= c.position(tp, Duration.ofSeconds(5)) >= end.get(tp);
                    }
                    if (done) {
                        return true;
                    }
                    long invokedAt = history.now();
                    var records = c.poll(Duration.ofMillis(500));
                    if (records.isEmpty()) {
                        continue;
                    }
                    Map<Integer, List<Op.Read>> reads = new HashMap<>();
                    for (ConsumerRecord<String, Long> r : records) {
                        reads.computeIfAbsent(r.partition(), k -> new ArrayList<>())
                                .add(new Op.Read(r.offset(), r.value()));
                    }
                    history.record(Op.invoke(process, Op.F.DRAIN));
                    history.record(Op.readOk(process, Op.F.DRAIN, reads));
                    last = "read up to " + records.count() + " records at " + invokedAt / 1_000_000 + " ms";
                }
            } catch (RuntimeException e) {
                last = Outcomes.describe(e);
                log.accept("drain: " + last + "; retrying from offset 0");
                process++;
                sleep();
            }
        }
        history.record(Op.invoke(process, Op.F.DRAIN));
        history.record(Op.error(process, Op.Type.INFO, Op.F.DRAIN, "end offsets not reached within "
                + limit.toSeconds() + " s (last: " + last + ")"));
        return false;
    }

    private static void sleep() {
        try {
            Thread.sleep(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
