package io.runnel.jepsen.workload;

import io.runnel.jepsen.history.History;
import io.runnel.jepsen.history.Op;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One producer process of the queue workload: sends the next unique value of a random partition to that partition
 * with an idempotent producer and waits for the acknowledgement (bounded), recording invoke then ok (with the
 * acknowledged offset), fail or info. After an info it closes the producer and opens a new one (a {@code crash}: new
 * producer id), as Jepsen's workload does.
 */
final class ProducerWorker implements Runnable {
    /** How long one send may take, end to end (ms); the producer's delivery.timeout.ms is below it. */
    static final long SEND_TIMEOUT_MS = 15_000;

    private final QueueConfig config;
    private final History history;
    private final int process;
    private final AtomicLong[] nextValue;
    private final Random random;
    private final BooleanSupplier running;

    ProducerWorker(QueueConfig config, History history, int process, AtomicLong[] nextValue, long seed,
                   BooleanSupplier running) {
        this.config = config;
        this.history = history;
        this.process = process;
        this.nextValue = nextValue;
        this.random = new Random(seed);
        this.running = running;
    }

    private KafkaProducer<String, Long> open() {
        return WorkloadProducers.open(config.bootstrap(), config.acks(), "jepsen-producer-" + process);
    }

    @Override
    public void run() {
        Pacer pacer = new Pacer(config.intervalNanos());
        KafkaProducer<String, Long> producer = open();
        try {
            while (running.getAsBoolean()) {
                pacer.await();
                int p = random.nextInt(config.partitions());
                long value = nextValue[p].getAndIncrement();
                history.record(Op.sendInvoke(process, p, value));
                Op.Type outcome;
                try {
                    RecordMetadata md = producer.send(new ProducerRecord<>(config.topic(), p, "k" + p, value))
                            .get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    if (md.hasOffset()) {
                        history.record(Op.sendOk(process, p, value, md.offset()));
                        continue;
                    }
                    outcome = Op.Type.INFO;
                    history.record(Op.sendError(process, outcome, p, value, "acknowledged without an offset"));
                } catch (ExecutionException e) {
                    outcome = Outcomes.classify(e.getCause());
                    history.record(Op.sendError(process, outcome, p, value, Outcomes.describe(e.getCause())));
                } catch (TimeoutException e) {
                    outcome = Op.Type.INFO;
                    history.record(Op.sendError(process, outcome, p, value, "no answer within " + SEND_TIMEOUT_MS
                            + " ms"));
                } catch (RuntimeException e) {
                    outcome = Outcomes.classify(e);
                    history.record(Op.sendError(process, outcome, p, value, Outcomes.describe(e)));
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
