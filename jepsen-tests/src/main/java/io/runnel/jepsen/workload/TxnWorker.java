package io.runnel.jepsen.workload;

import io.runnel.jepsen.history.History;
import io.runnel.jepsen.history.Micro;
import io.runnel.jepsen.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One worker process of the txn workload: a transactional producer ({@code transactional.id}
 * {@code jepsen-txn-<process>}, client id {@code jepsen-txn-<process>-<incarnation>}; a new incarnation fences the
 * previous one) and a read_committed consumer that assigns every partition from the
 * beginning. Each operation is one transaction of 1 to {@link TxnConfig#MAX_MICRO_OPS} micro-ops, recorded as one
 * {@code txn} invoke and one completion:
 * <ul>
 *   <li>{@code ok}: {@code commitTransaction()} returned; send offsets from the sends' RecordMetadata;</li>
 *   <li>{@code fail} with {@code aborted}: the worker called {@code abortTransaction()} on purpose (about one in
 *       {@link TxnConfig#abortOneIn()});</li>
 *   <li>{@code fail}: an error before {@code commitTransaction()} (no EndTxn(commit) was sent: the transaction can
 *       only be aborted), or a commit error {@link Outcomes#classifyCommit} calls certain (fenced);</li>
 *   <li>{@code info}: any other commit error (timeout, disconnect): it may have committed.</li>
 * </ul>
 * After any error the producer is closed and a new incarnation opened (a {@code crash}; Kafka's producer cannot be
 * reused after a failed commit); the consumer too when its poll threw. When a transaction does not commit, the
 * consumer is sought back to the first offset it read in each partition, so that the reads the history keeps (those
 * of committed transactions) have no gaps.
 */
final class TxnWorker implements Runnable {
    private static final Duration POLL = Duration.ofMillis(50);
    private static final long SEND_INFO_MS = 2_000;

    private final TxnConfig config;
    private final History history;
    private final int process;
    private final AtomicLong[] nextValue;
    private final Random random;
    private final BooleanSupplier running;
    private int incarnation;
    private KafkaProducer<String, Long> producer;
    private KafkaConsumer<String, Long> consumer;

    TxnWorker(TxnConfig config, History history, int process, AtomicLong[] nextValue, long seed,
              BooleanSupplier running) {
        this.config = config;
        this.history = history;
        this.process = process;
        this.nextValue = nextValue;
        this.random = new Random(seed);
        this.running = running;
    }

    @Override
    public void run() {
        Pacer pacer = new Pacer(config.intervalNanos());
        try {
            openConsumer();
            while (running.getAsBoolean()) {
                pacer.await();
                if (producer == null && !openProducer()) {
                    Thread.sleep(1_000);
                    continue;
                }
                transaction();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (producer != null) {
                producer.close(Duration.ofSeconds(2));
            }
            if (consumer != null) {
                consumer.close(Duration.ofSeconds(2));
            }
        }
    }

    /** Plans, runs and records one transaction. */
    private void transaction() {
        List<Micro> plan = new ArrayList<>();
        for (int i = 1 + random.nextInt(TxnConfig.MAX_MICRO_OPS); i > 0; i--) {
            if (random.nextBoolean()) {
                int p = random.nextInt(config.partitions());
                plan.add(Micro.send(p, nextValue[p].getAndIncrement()));
            } else {
                plan.add(Micro.poll());
            }
        }
        boolean abort = random.nextInt(config.abortOneIn()) == 0;
        history.record(Op.txnInvoke(process, plan));
        Map<Integer, Long> firstRead = new HashMap<>();
        boolean committing = false;
        boolean pollFailed = false;
        try {
            producer.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            List<Map<Integer, List<Op.Read>>> polled = new ArrayList<>();
            for (Micro m : plan) {
                if (m.f() == Micro.F.SEND) {
                    sent.add(producer.send(new ProducerRecord<>(config.topic(), m.partition(), "k" + m.partition(),
                            m.value())));
                } else {
                    pollFailed = true;
                    polled.add(poll(firstRead));
                    pollFailed = false;
                }
            }
            if (abort) {
                producer.abortTransaction();
                history.record(Op.txnError(process, Op.Type.FAIL, plan, "aborted by the worker", true));
                seekBack(firstRead);
                return;
            }
            committing = true;
            producer.commitTransaction();
            List<Micro> done = new ArrayList<>();
            int s = 0;
            int q = 0;
            for (Micro m : plan) {
                if (m.f() == Micro.F.SEND) {
                    RecordMetadata md = sent.get(s++).get(SEND_INFO_MS, TimeUnit.MILLISECONDS);
                    done.add(Micro.sendAt(m.partition(), m.value(), md.hasOffset() ? md.offset() : -1));
                } else {
                    done.add(Micro.poll(polled.get(q++)));
                }
            }
            history.record(Op.txnOk(process, done));
        } catch (Exception e) {
            if (e instanceof InterruptedException || e instanceof org.apache.kafka.common.errors.InterruptException) {
                Thread.currentThread().interrupt();
            }
            Op.Type type = committing ? Outcomes.classifyCommit(e) : Op.Type.FAIL;
            history.record(Op.txnError(process, type, plan, Outcomes.describe(e), abort && !committing));
            crash(pollFailed, firstRead);
        }
    }

    /** One short poll; notes the first offset read per partition. */
    private Map<Integer, List<Op.Read>> poll(Map<Integer, Long> firstRead) {
        Map<Integer, List<Op.Read>> reads = new HashMap<>();
        for (ConsumerRecord<String, Long> r : consumer.poll(POLL)) {
            reads.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(new Op.Read(r.offset(), r.value()));
            firstRead.putIfAbsent(r.partition(), r.offset());
        }
        return reads;
    }

    /** Puts the consumer back where it was before a transaction that did not commit. */
    private void seekBack(Map<Integer, Long> firstRead) {
        firstRead.forEach((p, offset) -> consumer.seek(new TopicPartition(config.topic(), p), offset));
    }

    /** After an error: a new producer incarnation, and a new consumer when its poll threw (else a seek back). */
    private void crash(boolean consumerToo, Map<Integer, Long> firstRead) {
        history.record(Op.invoke(process, Op.F.CRASH));
        producer.close(Duration.ofSeconds(1));
        producer = null;
        if (consumerToo) {
            consumer.close(Duration.ofSeconds(1));
        } else {
            seekBack(firstRead);
        }
        history.record(Op.ok(process, Op.F.CRASH));
        if (consumerToo) {
            openConsumer();
        }
    }

    /** A new producer incarnation, initialized; false (and none) when initTransactions failed. */
    private boolean openProducer() {
        // the same transactional.id for every incarnation: initTransactions fences the previous one and aborts what
        // it left open at once, instead of leaving it to transaction.timeout.ms
        String id = "jepsen-txn-" + process;
        KafkaProducer<String, Long> p = WorkloadProducers.openTransactional(config.bootstrap(),
                id + "-" + incarnation++, id);
        try {
            p.initTransactions();
            producer = p;
            return true;
        } catch (RuntimeException e) {
            p.close(Duration.ofSeconds(1));
            return false;
        }
    }

    /** A new read_committed consumer assigned every partition from the beginning, recorded as {@code assign}. */
    private void openConsumer() {
        history.record(Op.invoke(process, Op.F.ASSIGN));
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none",
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000,
                ConsumerConfig.CLIENT_ID_CONFIG, "jepsen-txn-consumer-" + process),
                new StringDeserializer(), new LongDeserializer());
        consumer.assign(config.topicPartitions());
        consumer.seekToBeginning(config.topicPartitions());
        history.record(Op.assignmentOk(process, Op.F.ASSIGN,
                config.topicPartitions().stream().map(TopicPartition::partition).toList()));
    }
}
