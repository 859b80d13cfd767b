package io.runnel.cli.client;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.PartitionInfo;

/**
 * Finds a topic's partitions before a consumer starts. A broker with {@code auto.create.topics.enable} creates a
 * missing topic when a consumer asks for it, but may first answer that it does not exist; so while the consumer
 * allows auto-creation ({@code allow.auto.create.topics}, default true) an empty answer is retried for a bounded
 * time before the topic is declared missing.
 */
public final class TopicLookup {

    /** How long an empty answer is retried while auto-creation may be under way, milliseconds. */
    static final long AUTO_CREATE_WAIT_MS = 5_000;
    private static final long RETRY_BACKOFF_MS = 250;

    private TopicLookup() {}

    /**
     * @param consumer the consumer that will read the topic
     * @param props its configs (for {@code allow.auto.create.topics})
     * @param topic the topic
     * @return its partitions; empty when it does not exist
     * @throws org.apache.kafka.common.errors.TimeoutException when the broker does not answer within
     *     {@link ClientDefaults#API_TIMEOUT_MS}
     */
    public static List<PartitionInfo> partitions(Consumer<byte[], byte[]> consumer, Properties props, String topic) {
        Duration timeout = Duration.ofMillis(ClientDefaults.API_TIMEOUT_MS);
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
        boolean mayAutoCreate = !"false".equalsIgnoreCase(
                props.getProperty(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "true").trim());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AUTO_CREATE_WAIT_MS);
        while (mayAutoCreate && (partitions == null || partitions.isEmpty()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(RETRY_BACKOFF_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            partitions = consumer.partitionsFor(topic, timeout);
        }
        return partitions == null ? List.of() : partitions;
    }
}
