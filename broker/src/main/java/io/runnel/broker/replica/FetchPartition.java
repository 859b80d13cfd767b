package io.runnel.broker.replica;

import io.runnel.metadata.image.TopicPartition;

/**
 * One partition of a Fetch request.
 *
 * @param tp                 the partition
 * @param fetchOffset        first offset wanted; for a follower, its log end offset
 * @param maxBytes           {@code partition_max_bytes}
 * @param currentLeaderEpoch the epoch the client believes current (KIP-320), -1 for unknown
 * @param lastFetchedEpoch   a follower's epoch of its last batch (Fetch v12), -1 for none or a consumer
 * @param logStartOffset     a follower's log start offset (Fetch {@code log_start_offset}), -1 for a consumer
 */
public record FetchPartition(TopicPartition tp, long fetchOffset, int maxBytes, int currentLeaderEpoch,
                             int lastFetchedEpoch, long logStartOffset) {
    /** A fetch that does not report a log start offset. */
    public FetchPartition(TopicPartition tp, long fetchOffset, int maxBytes, int currentLeaderEpoch,
                          int lastFetchedEpoch) {
        this(tp, fetchOffset, maxBytes, currentLeaderEpoch, lastFetchedEpoch, -1L);
    }

    /** A consumer's fetch: no last fetched epoch. */
    public FetchPartition(TopicPartition tp, long fetchOffset, int maxBytes, int currentLeaderEpoch) {
        this(tp, fetchOffset, maxBytes, currentLeaderEpoch, -1);
    }
}
