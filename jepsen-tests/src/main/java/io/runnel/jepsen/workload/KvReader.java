package io.runnel.jepsen.workload;

import io.runnel.jepsen.history.History;
import io.runnel.jepsen.history.Op;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One reader process of the kv workload: an assigned consumer (no group, {@code auto.offset.reset=none}) makes
 * full passes over the topic ({@link KvPass}), one {@code read} operation each: invoke, then ok with every record
 * the pass read (offset, version, key), or info / fail when it could not finish within {@link #PASS_LIMIT}. After
 * any error the consumer is closed and a new one opened ({@code crash}). Passes start at most every
 * {@link KvConfig#MIN_PASS_INTERVAL_NANOS} ns.
 */
final class KvReader implements Runnable {
    /** How long one pass may take. */
    static final Duration PASS_LIMIT = Duration.ofSeconds(10);

    private final KvConfig config;
    private final History history;
    private final int process;
    private final BooleanSupplier running;

    KvReader(KvConfig config, History history, int process, BooleanSupplier running) {
        this.config = config;
        this.history = history;
        this.process = process;
        this.running = running;
    }

    /** A consumer assigned every partition of the kv topic, reading committed data only up to the high watermark. */
    static KafkaConsumer<String, Long> open(KvConfig config, String clientId) {
        KafkaConsumer<String, Long> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId),
                new StringDeserializer(), new LongDeserializer());
        c.assign(config.topicPartitions());
        return c;
    }

    @Override
    public void run() {
        Pacer pacer = new Pacer(Math.max(config.intervalNanos(), KvConfig.MIN_PASS_INTERVAL_NANOS));
        KafkaConsumer<String, Long> consumer = open(config, "jepsen-kv-reader-" + process);
        try {
            while (running.getAsBoolean()) {
                pacer.await();
                history.record(Op.invoke(process, Op.F.READ));
                boolean failed = true;
                try {
                    history.record(Op.readOk(process, Op.F.READ,
                            KvPass.read(consumer, config.topicPartitions(), PASS_LIMIT)));
                    failed = false;
                } catch (KvPass.Incomplete e) {
                    history.record(Op.error(process, Op.Type.INFO, Op.F.READ, e.getMessage()));
                } catch (org.apache.kafka.common.errors.InterruptException e) {
                    history.record(Op.error(process, Op.Type.INFO, Op.F.READ, Outcomes.describe(e)));
                    return;
                } catch (RuntimeException e) {
                    history.record(Op.error(process, Outcomes.classify(e), Op.F.READ, Outcomes.describe(e)));
                }
                if (failed) {
                    history.record(Op.invoke(process, Op.F.CRASH));
                    consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
                    consumer = open(config, "jepsen-kv-reader-" + process);
                    history.record(Op.ok(process, Op.F.CRASH));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }
}
