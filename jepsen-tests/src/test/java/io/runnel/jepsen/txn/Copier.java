package io.runnel.jepsen.txn;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A consume-transform-produce loop as an exactly-once application writes it (KIP-98): a read_committed consumer in
 * group {@value #GROUP} subscribed to the input topic and a transactional producer ({@value #TRANSACTIONAL_ID}) that,
 * per poll, sends each value {@code vX} to the output topic as {@code vX@K} ({@code K} the transaction attempt) and
 * commits the consumed offsets with the transaction. Every 7th attempt is aborted on purpose and the consumer is
 * rewound to its committed offsets.
 *
 * <p>Client errors are handled as an application must: fatal ones (fenced, out-of-order sequence, ...) close both
 * clients and open new ones with the same transactional id, whose {@code initTransactions} fences the old producer and
 * aborts its open transaction; abortable ones abort the transaction and rewind; a timed-out commit or abort is
 * retried, then treated as fatal. What each attempt became is recorded for the checker: committed (commit returned),
 * aborted (abort returned, on purpose or after an error), abandoned (left open to the next producer's fencing) or
 * unknown (commit called, outcome not seen). It copies at most {@link #allow(long)} records (counted from returned
 * commits), so a test can keep it busy until its faults are done.
 */
final class Copier implements Runnable {
    static final String GROUP = "eos-copier";
    static final String TRANSACTIONAL_ID = "eos-copier-1";
    private static final int ABORT_EVERY = 7;
    private static final int END_RETRIES = 3;
    private final String bootstrap;
    private final String input;
    private final String output;
    private final Map<TopicPartition, Long> inputEnd;
    private volatile boolean stop;
    private volatile boolean done;
    private volatile long allowance;
    private final AtomicLong copied = new AtomicLong();
    private final AtomicLong recreations = new AtomicLong();
    private final AtomicLong committedNanos = new AtomicLong();
    private final Map<Integer, Integer> committed = new ConcurrentHashMap<>();
    private final Set<Integer> abortedOnPurpose = ConcurrentHashMap.newKeySet();
    private final Set<Integer> abortedAfterError = ConcurrentHashMap.newKeySet();
    private final Set<Integer> abandoned = ConcurrentHashMap.newKeySet();
    private final Set<Integer> unknown = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> errors = new ConcurrentHashMap<>();
    private volatile Throwable crash;
    private KafkaConsumer<String, String> consumer;
    private KafkaProducer<String, String> producer;
    private int attempt;
    private long lastDoneCheck;

    /**
     * @param inputEnd  the input topic's end offsets: the copier is done when the group has committed them
     * @param allowance how many records it may copy before {@link #allow(long)} raises the limit
     */
    Copier(String bootstrap, String input, String output, Map<TopicPartition, Long> inputEnd, long allowance) {
        this.bootstrap = bootstrap;
        this.input = input;
        this.output = output;
        this.inputEnd = Map.copyOf(inputEnd);
        this.allowance = allowance;
    }

    /** Lets the copier copy up to {@code limit} records in all (counted from commits that returned). */
    void allow(long limit) {
        allowance = limit;
    }

    /** Records in transactions whose commit returned. */
    long copied() {
        return copied.get();
    }

    boolean done() {
        return done;
    }

    /** Asks the loop to end after its current step. */
    void stop() {
        stop = true;
    }

    /** An unexpected exception that ended the loop, or null. */
    Throwable crash() {
        return crash;
    }

    /** Attempt → number of records, for every attempt whose commit returned. */
    Map<Integer, Integer> committed() {
        return committed;
    }

    Set<Integer> abortedOnPurpose() {
        return abortedOnPurpose;
    }

    Set<Integer> abortedAfterError() {
        return abortedAfterError;
    }

    Set<Integer> abandoned() {
        return abandoned;
    }

    Set<Integer> unknown() {
        return unknown;
    }

    /** A one-line summary of what happened: attempts per outcome, client errors by class, recreations. */
    String summary() {
        return attempt + " attempts: " + committed.size() + " committed, " + abortedOnPurpose.size()
                + " aborted on purpose, " + abortedAfterError.size() + " aborted after an error, " + abandoned.size()
                + " abandoned, " + unknown.size() + " unknown; clients recreated " + recreations.get()
                + " times; errors " + errors + "; a committed transaction took "
                + (committed.isEmpty() ? 0 : committedNanos.get() / 1_000_000 / committed.size()) + " ms on average";
    }

    @Override
    public void run() {
        try {
            open();
            while (!stop && !done) {
                if (copied.get() >= allowance) {
                    synchronized (this) {
                        wait(50); // held back by the test, not waiting for the cluster
                    }
                    continue;
                }
                step();
            }
        } catch (Throwable t) {
            crash = t;
        } finally {
            closeClients();
        }
    }

    private void step() {
        ConsumerRecords<String, String> records;
        try {
            records = consumer.poll(Duration.ofMillis(200));
        } catch (KafkaException e) {
            note(e);
            recreate();
            return;
        }
        if (records.isEmpty()) {
            checkDone();
            return;
        }
        int k = ++attempt;
        long begun = System.nanoTime();
        boolean ending = false;
        try {
            producer.beginTransaction();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (ConsumerRecord<String, String> r : records) {
                producer.send(new ProducerRecord<>(output, r.partition(), null, r.value() + "@" + k));
                offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            if (k % ABORT_EVERY == 0) {
                ending = true;
                if (abort()) {
                    abortedOnPurpose.add(k);
                    rewind();
                } else {
                    abandoned.add(k); // commit never called: the next producer's fencing aborts it
                    recreate();
                }
                return;
            }
            ending = true;
            if (commit()) {
                committed.put(k, records.count());
                copied.addAndGet(records.count());
                committedNanos.addAndGet(System.nanoTime() - begun);
            } else {
                unknown.add(k);
                recreate();
            }
        } catch (ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                 | AuthorizationException | UnsupportedVersionException e) {
            note(e);
            (ending ? unknown : abandoned).add(k);
            recreate();
        } catch (KafkaException e) {
            // abortable (or a timeout outside the commit): abort, start over from the committed offsets
            note(e);
            if (ending) {
                unknown.add(k);
                recreate();
            } else if (abort()) {
                abortedAfterError.add(k);
                rewind();
            } else {
                abandoned.add(k);
                recreate();
            }
        }
    }

    /** commitTransaction, retried after a timeout (the client keeps the pending result); false if it never returned. */
    private boolean commit() {
        for (int i = 0; i < END_RETRIES; i++) {
            try {
                producer.commitTransaction();
                return true;
            } catch (TimeoutException e) {
                note(e);
            } catch (KafkaException e) {
                note(e);
                return false;
            }
        }
        return false;
    }

    /** abortTransaction, retried after a timeout; false if it never returned. */
    private boolean abort() {
        for (int i = 0; i < END_RETRIES; i++) {
            try {
                producer.abortTransaction();
                return true;
            } catch (TimeoutException e) {
                note(e);
            } catch (KafkaException e) {
                note(e);
                return false;
            }
        }
        return false;
    }

    /** Seeks every assigned partition back to the group's committed offset (the earliest when none). */
    private void rewind() {
        try {
            Set<TopicPartition> assigned = consumer.assignment();
            Map<TopicPartition, OffsetAndMetadata> c = consumer.committed(assigned, Duration.ofSeconds(10));
            for (TopicPartition tp : assigned) {
                OffsetAndMetadata o = c.get(tp);
                if (o == null) {
                    consumer.seekToBeginning(List.of(tp));
                } else {
                    consumer.seek(tp, o.offset());
                }
            }
        } catch (KafkaException e) {
            note(e);
            recreate();
        }
    }

    /** Done once the group's committed offsets are the input's end offsets (checked at most twice a second). */
    private void checkDone() {
        long now = System.nanoTime();
        if (now - lastDoneCheck < 500_000_000L) {
            return;
        }
        lastDoneCheck = now;
        try {
            Map<TopicPartition, OffsetAndMetadata> c = consumer.committed(inputEnd.keySet(), Duration.ofSeconds(10));
            done = inputEnd.entrySet().stream().allMatch(e -> c.get(e.getKey()) != null
                    && c.get(e.getKey()).offset() == e.getValue());
        } catch (KafkaException e) {
            note(e);
        }
    }

    private void note(Throwable e) {
        errors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
    }

    /** Closes both clients and opens new ones: the new producer fences the old and aborts its open transaction. */
    private void recreate() {
        recreations.incrementAndGet();
        closeClients();
        open();
    }

    private void closeClients() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(2));
            } catch (KafkaException e) {
                note(e);
            }
            consumer = null;
        }
    }

    /** A new producer (initTransactions retried until it succeeds or the loop stops) and a new subscribed consumer. */
    private void open() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 100);
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        while (!stop) {
            try {
                producer.initTransactions();
                break;
            } catch (TimeoutException e) {
                note(e); // retriable: the coordinator is moving; the next call resumes the pending request
            }
        }
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        c.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(input));
    }
}
