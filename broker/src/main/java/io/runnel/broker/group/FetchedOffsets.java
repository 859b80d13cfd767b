package io.runnel.broker.group;

import io.runnel.metadata.image.CommittedOffset;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A group's committed offsets as OffsetFetch (API key 9) reports them.
 *
 * @param error   NONE, or for the whole group NOT_COORDINATOR (16), INVALID_GROUP_ID (24)
 * @param offsets per requested partition (or every committed one, when all were asked for) the committed offset,
 *                or null when there is none (answered as offset -1, Kafka's {@code INVALID_OFFSET})
 */
public record FetchedOffsets(Errors error, Map<TopicPartition, CommittedOffset> offsets) {
    public FetchedOffsets {
        offsets = Collections.unmodifiableMap(new LinkedHashMap<>(offsets));
    }

    /** A group-level failure. */
    public static FetchedOffsets failed(Errors error) {
        return new FetchedOffsets(error, Map.of());
    }
}
