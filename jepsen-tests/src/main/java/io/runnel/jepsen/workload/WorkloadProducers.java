package io.runnel.jepsen.workload;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The producer every workload writes with: bounded timeouts so that a fault ends a send within seconds. */
final class WorkloadProducers {
    private WorkloadProducers() {
    }

    /**
     * A new producer (a new producer id when idempotent).
     *
     * @param acks     {@code all} (idempotent) or {@code 1} (not idempotent: negative controls)
     * @param clientId the client id, naming the history's process
     */
    static KafkaProducer<String, Long> open(String bootstrap, String acks, String clientId) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, acks,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "all".equals(acks),
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000,
                ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 100,
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000,
                ProducerConfig.CLIENT_ID_CONFIG, clientId),
                new StringSerializer(), new LongSerializer());
    }

    /**
     * A new transactional producer ({@code enable.idempotence=true}, {@code acks=all}), not yet initialized: the
     * caller runs {@code initTransactions()}. Its {@code transaction.timeout.ms} is 15 s, so that a transaction a
     * closed incarnation left open is aborted by the coordinator soon after, releasing the last stable offset.
     *
     * @param transactionalId unique per incarnation (a new one after every error, as a timed-out commit leaves
     *                        a producer unusable)
     */
    static KafkaProducer<String, Long> openTransactional(String bootstrap, String clientId, String transactionalId) {
        Map<String, Object> c = new java.util.HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 15_000,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 100));
        c.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaProducer<>(c, new StringSerializer(), new LongSerializer());
    }
}
