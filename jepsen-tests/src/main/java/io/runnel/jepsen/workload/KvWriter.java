package io.runnel.jepsen.workload;

import io.runnel.jepsen.history.History;
import io.runnel.jepsen.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One writer process of the kv workload: owns the keys k with {@code k % writers == index}, and each operation
 * writes one of them (drawn at random) to its next version (from 0, +1 per write, whatever the outcome) with a
 * producer and waits for the acknowledgement (at most {@link ProducerWorker#SEND_TIMEOUT_MS} ms). Records
 * {@code write} invoke then ok (with the offset), fail or info; after an info it closes the producer and opens a
 * new one ({@code crash}: a new producer id), as the queue workload's producers do. One write at a time, so a key's
 * ok write always completed before its next version was sent.
 */
final class KvWriter implements Runnable {
    private final KvConfig config;
    private final History history;
    private final int process;
    private final int[] keys;
    private final long[] next;
    private final Random random;
    private final BooleanSupplier running;

    KvWriter(KvConfig config, History history, int process, int index, long seed, BooleanSupplier running) {
        this.config = config;
        this.history = history;
        this.process = process;
        List<Integer> owned = new ArrayList<>();
        for (int k = index; k < config.keys(); k += config.writers()) {
            owned.add(k);
        }
        this.keys = owned.stream().mapToInt(Integer::intValue).toArray();
        this.next = new long[keys.length];
        this.random = new Random(seed);
        this.running = running;
    }

    private KafkaProducer<String, Long> open() {
        return WorkloadProducers.open(config.bootstrap(), config.acks(), "jepsen-kv-writer-" + process);
    }

    @Override
    public void run() {
        Pacer pacer = new Pacer(config.intervalNanos());
        KafkaProducer<String, Long> producer = open();
        try {
            while (running.getAsBoolean()) {
                pacer.await();
                int i = random.nextInt(keys.length);
                int key = keys[i];
                long version = next[i]++;
                int p = config.partitionOf(key);
                history.record(Op.writeInvoke(process, p, key, version));
                Op.Type outcome;
                try {
                    RecordMetadata md = producer.send(new ProducerRecord<>(config.topic(), p,
                            KvConfig.recordKey(key), version)).get(ProducerWorker.SEND_TIMEOUT_MS,
                            TimeUnit.MILLISECONDS);
                    if (md.hasOffset()) {
                        history.record(Op.writeOk(process, p, key, version, md.offset()));
                        continue;
                    }
                    outcome = Op.Type.INFO;
                    history.record(Op.writeError(process, outcome, p, key, version, "acknowledged without an offset"));
                } catch (ExecutionException e) {
                    outcome = Outcomes.classify(e.getCause());
                    history.record(Op.writeError(process, outcome, p, key, version, Outcomes.describe(e.getCause())));
                } catch (TimeoutException e) {
                    outcome = Op.Type.INFO;
                    history.record(Op.writeError(process, outcome, p, key, version, "no answer within "
                            + ProducerWorker.SEND_TIMEOUT_MS + " ms"));
                } catch (RuntimeException e) {
                    outcome = Outcomes.classify(e);
                    history.record(Op.writeError(process, outcome, p, key, version, Outcomes.describe(e)));
                }
                if (outcome == Op.Type.INFO) {
                    history.record(Op.invoke(process, Op.F.CRASH));
                    producer.close(Duration.ofSeconds(1));
                    producer = open();
                    history.record(Op.ok(process, Op.F.CRASH));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(Duration.ofSeconds(2));
        }
    }
}
