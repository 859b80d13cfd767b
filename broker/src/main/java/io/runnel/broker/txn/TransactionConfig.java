package io.runnel.broker.txn;

/**
 * The transaction coordinator's settings, Kafka's broker keys (KIP-98). Immutable.
 *
 * @param maxTimeoutMs           {@code transaction.max.timeout.ms}: the largest {@code transaction.timeout.ms} a
 *                               producer may ask for (default 900000 ms); larger is INVALID_TRANSACTION_TIMEOUT (50)
 * @param idExpirationMs         {@code transactional.id.expiration.ms}: an id with no transaction open and no
 *                               update for this long is removed (default 604800000 ms, 7 days)
 * @param abortCheckIntervalMs   {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}: how often open
 *                               transactions are checked against their timeout (default 10000 ms)
 * @param expiryCheckIntervalMs  {@code transaction.remove.expired.transaction.cleanup.interval.ms}: how often ids are
 *                               checked for expiry (default 3600000 ms)
 * @param transactionVersion     {@code transaction.version}: the finalized level of Kafka's {@code transaction.version}
 *                               feature this broker advertises in ApiVersions (KIP-584) and follows: 2 (default) =
 *                               transactions v2 (KIP-890 part 2: EndTxn v5 bumps the epoch, partitions and groups
 *                               are added by their leaders and group coordinators), 0 or 1 = transactions v1
 *                               (KIP-98; EndTxn and TxnOffsetCommit capped at v4). The one setting every version
 *                               check reads.
 */
public record TransactionConfig(int maxTimeoutMs, long idExpirationMs, long abortCheckIntervalMs,
                                long expiryCheckIntervalMs, int transactionVersion) {
    /** The highest {@code transaction.version} level Runnel supports (and advertises as supported). */
    public static final int MAX_TRANSACTION_VERSION = io.runnel.broker.protocol.ApiVersionTable.MAX_TRANSACTION_VERSION;
    /** Kafka's defaults (transactions v2). */
    public static final TransactionConfig DEFAULTS = new TransactionConfig(900_000, 604_800_000L, 10_000L,
            3_600_000L, MAX_TRANSACTION_VERSION);

    public TransactionConfig {
        if (maxTimeoutMs < 1 || idExpirationMs < 1 || abortCheckIntervalMs < 1 || expiryCheckIntervalMs < 1) {
            throw new IllegalArgumentException("transaction settings must be positive: " + maxTimeoutMs + ", "
                    + idExpirationMs + ", " + abortCheckIntervalMs + ", " + expiryCheckIntervalMs);
        }
        if (transactionVersion < 0 || transactionVersion > MAX_TRANSACTION_VERSION) {
            throw new IllegalArgumentException("transaction.version must be 0, 1 or 2, not " + transactionVersion);
        }
    }

    /** True when transactions v2 (KIP-890 part 2) is finalized: {@code transaction.version} is 2. */
    public boolean transactionsV2() {
        return transactionVersion >= 2;
    }
}
