package io.runnel.broker.replica;

import io.runnel.metadata.image.TopicPartition;

/**
 * One partition of a Fetch request.
 *
 * @param tp                 the partition
 * @param fetchOffset        first offset wanted
 * @param maxBytes           {@code partition_max_bytes}
 * @param currentLeaderEpoch the epoch the client believes current (KIP-320), -1 for unknown
 */
public record FetchPartition(TopicPartition tp, long fetchOffset, int maxBytes, int currentLeaderEpoch) {
}
