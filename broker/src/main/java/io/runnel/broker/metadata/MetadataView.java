package io.runnel.broker.metadata;

import io.runnel.metadata.image.BrokerEndpoint;
import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.ConfigResource;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.record.ConfigResourceType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A read-only view of one {@link MetadataImage} for request handlers, as seen by broker {@code localBrokerId}:
 * topics, partitions with leaders, ISR and epochs, and live brokers with their endpoints per listener. Immutable
 * (the image is), so a handler that took a view answers from one consistent image.
 */
public final class MetadataView {
    private final MetadataImage image;
    private final int localBrokerId;

    /** @param localBrokerId this broker's {@code node.id} */
    public MetadataView(MetadataImage image, int localBrokerId) {
        this.image = image;
        this.localBrokerId = localBrokerId;
    }

    /** The image behind the view. */
    public MetadataImage image() {
        return image;
    }

    /** This broker's id. */
    public int localBrokerId() {
        return localBrokerId;
    }

    /** The cluster id (KIP-78). */
    public String clusterId() {
        return image.clusterId();
    }

    /** The topic, or null. */
    public TopicImage topic(String name) {
        return image.topicsByName().get(name);
    }

    /** The topic with this id (KIP-516), or null. */
    public TopicImage topic(UUID id) {
        return image.topicsById().get(id);
    }

    /** Every topic, sorted by name. */
    public List<TopicImage> topics() {
        List<TopicImage> topics = new ArrayList<>(image.topicsByName().values());
        topics.sort(Comparator.comparing(TopicImage::name));
        return topics;
    }

    /** A partition's registration, or null when the topic or partition does not exist. */
    public PartitionRegistration partition(String topic, int partition) {
        TopicImage t = topic(topic);
        return t == null ? null : t.partition(partition);
    }

    /** True when {@code brokerId} is registered and not fenced. */
    public boolean isAlive(int brokerId) {
        BrokerRegistration b = image.brokers().get(brokerId);
        return b != null && !b.fenced();
    }

    /** True when {@code brokerId} is registered, fenced or not. */
    public boolean isRegistered(int brokerId) {
        return image.brokers().containsKey(brokerId);
    }

    /** Unfenced brokers, sorted by id. */
    public List<BrokerRegistration> aliveBrokers() {
        List<BrokerRegistration> alive = new ArrayList<>();
        image.brokers().values().stream().filter(b -> !b.fenced()).forEach(alive::add);
        alive.sort(Comparator.comparingInt(BrokerRegistration::id));
        return alive;
    }

    /** The endpoint {@code brokerId} advertises for {@code listenerName}, if it is registered with one. */
    public Optional<BrokerEndpoint> endpoint(int brokerId, String listenerName) {
        BrokerRegistration b = image.brokers().get(brokerId);
        if (b == null) {
            return Optional.empty();
        }
        return b.endpoints().stream().filter(e -> e.listenerName().equals(listenerName)).findFirst();
    }

    /**
     * The id to report as "controller" to clients: in KRaft clients never reach controllers, so Kafka reports a
     * live broker, which forwards controller requests (KIP-590). This broker if it is alive, else the lowest live
     * broker id, else -1.
     */
    public int controllerIdForClients() {
        if (isAlive(localBrokerId)) {
            return localBrokerId;
        }
        return aliveBrokers().stream().mapToInt(BrokerRegistration::id).findFirst().orElse(-1);
    }

    /** The topic's dynamic config overrides (Kafka topic-config keys; only keys explicitly set). */
    public Map<String, String> topicConfig(String topic) {
        return topicConfig(image, topic);
    }

    /** As {@link #topicConfig(String)} on {@code image}. */
    public static Map<String, String> topicConfig(MetadataImage image, String topic) {
        return image.configs().getOrDefault(
                new ConfigResource(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, topic), Map.of());
    }
}
