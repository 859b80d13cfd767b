package io.runnel.broker.replication;

/**
 * How followers fetch, from Kafka's broker keys. Immutable.
 *
 * @param brokerId          {@code node.id}: sent as the Fetch {@code replica_id}
 * @param listenerName      {@code inter.broker.listener.name}: the leader's endpoint followers connect to
 * @param numFetchers       {@code num.replica.fetchers}: fetcher threads per source broker (default 1)
 * @param partitionMaxBytes {@code replica.fetch.max.bytes} (default 1048576 bytes)
 * @param responseMaxBytes  {@code replica.fetch.response.max.bytes} (default 10485760 bytes)
 * @param maxWaitMs         {@code replica.fetch.wait.max.ms} (default 500 ms)
 * @param minBytes          {@code replica.fetch.min.bytes} (default 1 byte)
 * @param backoffMs         {@code replica.fetch.backoff.ms}: pause after a failed fetch (default 1000 ms)
 * @param requestTimeoutMs  {@code replica.socket.timeout.ms}: connect and response timeout beyond the long poll
 *                          (default 30000 ms)
 */
public record FetcherSettings(int brokerId, String listenerName, int numFetchers, int partitionMaxBytes,
                              int responseMaxBytes, int maxWaitMs, int minBytes, int backoffMs,
                              int requestTimeoutMs) {
    public FetcherSettings {
        if (brokerId < 0 || numFetchers < 1 || partitionMaxBytes < 1 || responseMaxBytes < 1 || maxWaitMs < 0
                || minBytes < 0 || backoffMs < 0 || requestTimeoutMs < 1) {
            throw new IllegalArgumentException("invalid replica fetcher settings: " + brokerId + ", " + numFetchers
                    + " fetchers, " + partitionMaxBytes + "/" + responseMaxBytes + " bytes, " + maxWaitMs + "/"
                    + backoffMs + "/" + requestTimeoutMs + " ms");
        }
    }

    /** Kafka's defaults for {@code brokerId} fetching through {@code listenerName}. */
    public static FetcherSettings defaults(int brokerId, String listenerName) {
        return new FetcherSettings(brokerId, listenerName, 1, 1 << 20, 10 << 20, 500, 1, 1000, 30_000);
    }
}
