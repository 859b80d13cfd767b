package io.runnel.cli.perf;

import java.util.Properties;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Uuid;

/**
 * The transactions of {@code producer-perf-test}, with the semantics of Kafka 4.x's
 * {@code kafka-producer-perf-test.sh}: transactions are on when {@code --transactional-id} or
 * {@code --transaction-duration-ms} is given or the producer configs set {@code transactional.id}. The id is the
 * flag's, else the configs', else {@value #DEFAULT_ID_PREFIX} followed by a random {@link Uuid}; the duration is the
 * flag's, else {@value #DEFAULT_DURATION_MS} ms. The producer calls {@code initTransactions} once, begins a
 * transaction before the first record after each commit, commits once a record is sent
 * {@code transaction-duration-ms} or more after its transaction began, and commits the open transaction at the end.
 * Not thread-safe: only the sending thread uses it.
 */
final class PerfTransactions {

    /** The start of the transactional id when only {@code --transaction-duration-ms} enables transactions. */
    static final String DEFAULT_ID_PREFIX = "performance-producer-";
    /** The transaction duration when transactions are on without {@code --transaction-duration-ms}, ms. */
    static final long DEFAULT_DURATION_MS = 3000;

    private static final PerfTransactions DISABLED = new PerfTransactions(null, 0);

    private final String transactionalId;
    private final long durationMs;
    private boolean open;
    private long beganMs;
    private long committed;

    private PerfTransactions(String transactionalId, long durationMs) {
        this.transactionalId = transactionalId;
        this.durationMs = durationMs;
    }

    /**
     * Decides whether the run is transactional and, if so, puts the chosen {@code transactional.id} into the
     * producer configs.
     *
     * @param props the producer configs (from --producer-props / --producer.config); changed when transactional
     * @param idFlag {@code --transactional-id}, or null
     * @param durationFlagMs {@code --transaction-duration-ms}, or null; checked positive by the caller
     * @return the run's transactions, {@link #enabled() disabled} when nothing asks for them
     */
    static PerfTransactions configure(Properties props, String idFlag, Long durationFlagMs) {
        String fromConfigs = props.getProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        if (idFlag == null && durationFlagMs == null && fromConfigs == null) {
            return DISABLED;
        }
        String id = idFlag != null ? idFlag
                : fromConfigs != null ? fromConfigs
                : DEFAULT_ID_PREFIX + Uuid.randomUuid();
        props.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        return new PerfTransactions(id, durationFlagMs != null ? durationFlagMs : DEFAULT_DURATION_MS);
    }

    /** @return whether the run uses transactions */
    boolean enabled() {
        return transactionalId != null;
    }

    /** @return the transactional id, or null when disabled */
    String transactionalId() {
        return transactionalId;
    }

    /** @return the longest a transaction stays open before the next send commits it, ms (0 when disabled) */
    long durationMs() {
        return durationMs;
    }

    /** @return how many transactions were committed so far */
    long committed() {
        return committed;
    }

    /**
     * Calls {@code initTransactions} when enabled.
     *
     * @param producer the run's producer
     */
    void init(Producer<?, ?> producer) {
        if (enabled()) {
            producer.initTransactions();
        }
    }

    /**
     * Before each send: begins a transaction when enabled and none is open.
     *
     * @param producer the run's producer
     * @param nowMs the current time, ms since the epoch
     */
    void beforeSend(Producer<?, ?> producer, long nowMs) {
        if (enabled() && !open) {
            producer.beginTransaction();
            open = true;
            beganMs = nowMs;
        }
    }

    /**
     * After each send: commits the open transaction when the record was sent {@link #durationMs()} or more after
     * the transaction began.
     *
     * @param producer the run's producer
     * @param sendStartMs when the record was handed to the producer, ms since the epoch
     */
    void afterSend(Producer<?, ?> producer, long sendStartMs) {
        if (open && sendStartMs - beganMs >= durationMs) {
            commit(producer);
        }
    }

    /**
     * At the end of the run: commits the open transaction, if any.
     *
     * @param producer the run's producer
     */
    void finish(Producer<?, ?> producer) {
        if (open) {
            commit(producer);
        }
    }

    private void commit(Producer<?, ?> producer) {
        producer.commitTransaction();
        open = false;
        committed++;
    }
}
