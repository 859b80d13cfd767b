package io.runnel.broker.replica;

import java.util.List;

/**
 * A Fetch request as the replica manager serves it.
 *
 * @param replicaId  -1 for consumers; a broker id for follower fetches (records up to the log end offset)
 * @param maxWaitMs  {@code max_wait_ms}: how long to wait for {@code minBytes}
 * @param minBytes   {@code min_bytes}: respond once this many bytes are available
 * @param maxBytes   {@code max_bytes}: response size limit; the first non-empty partition may exceed it by one
 *                   batch (KIP-74)
 * @param partitions in request order
 * @param readCommitted isolation level read_committed (KIP-98): consumers read below the last stable offset and get
 *                   the aborted transactions of what they read
 */
public record FetchParams(int replicaId, long maxWaitMs, int minBytes, int maxBytes, List<FetchPartition> partitions,
                          boolean readCommitted) {
    public FetchParams {
        partitions = List.copyOf(partitions);
    }

    /** A read_uncommitted fetch. */
    public FetchParams(int replicaId, long maxWaitMs, int minBytes, int maxBytes, List<FetchPartition> partitions) {
        this(replicaId, maxWaitMs, minBytes, maxBytes, partitions, false);
    }
}
