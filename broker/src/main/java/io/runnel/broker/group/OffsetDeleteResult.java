package io.runnel.broker.group;

import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an OffsetDelete (API key 47) is answered with.
 *
 * @param error      NONE, or for the whole request GROUP_ID_NOT_FOUND (69), NON_EMPTY_GROUP (68, a non-consumer
 *                   group with members), INVALID_GROUP_ID (24), NOT_COORDINATOR (16), COORDINATOR_NOT_AVAILABLE (15)
 * @param partitions per partition in request order: NONE, GROUP_SUBSCRIBED_TO_TOPIC (86) while a member of the
 *                   group subscribes to the topic, UNKNOWN_TOPIC_OR_PARTITION (3)
 */
public record OffsetDeleteResult(Errors error, Map<TopicPartition, Errors> partitions) {
    public OffsetDeleteResult {
        partitions = Collections.unmodifiableMap(new LinkedHashMap<>(partitions));
    }

    public static OffsetDeleteResult failed(Errors error) {
        return new OffsetDeleteResult(error, Map.of());
    }
}
