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
 */
public record FetchParams(int replicaId, long maxWaitMs, int minBytes, int maxBytes, List<FetchPartition> partitions) {
    public FetchParams {
        partitions = List.copyOf(partitions);
    }
}
