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
}
