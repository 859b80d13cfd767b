package io.runnel.broker.metadata;

import org.apache.kafka.common.protocol.Errors;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The hook behind {@code auto.create.topics.enable}: asks the active controller to create topics a Metadata request
 * names but the image lacks, with the broker's {@code num.partitions} and {@code default.replication.factor}
 * (Kafka's defaults 1 and 1). Only the controller may create topics, so the broker cannot do it alone: the node
 * wiring supplies an implementation that reaches the controller, and none at all when auto-creation is disabled.
 *
 * <p>The Metadata handler does not wait: it answers LEADER_NOT_AVAILABLE (5) for those topics, as Kafka does, and
 * the client retries until the new topic appears in an image.
 */
@FunctionalInterface
public interface TopicAutoCreator {
    /**
     * Requests creation of {@code topics} (legal names, absent from the image).
     *
     * @return per topic, NONE or the controller's error (e.g. TOPIC_ALREADY_EXISTS, INVALID_REPLICATION_FACTOR);
     *         handlers only log failures
     */
    CompletableFuture<Map<String, Errors>> createTopics(Set<String> topics);
}
