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
 */
public record TransactionConfig(int maxTimeoutMs, long idExpirationMs, long abortCheckIntervalMs,
                                long expiryCheckIntervalMs) {
    /** Kafka's defaults. */
    public static final TransactionConfig DEFAULTS = new TransactionConfig(900_000, 604_800_000L, 10_000L,
            3_600_000L);

    public TransactionConfig {
        if (maxTimeoutMs < 1 || idExpirationMs < 1 || abortCheckIntervalMs < 1 || expiryCheckIntervalMs < 1) {
            throw new IllegalArgumentException("transaction settings must be positive: " + maxTimeoutMs + ", "
                    + idExpirationMs + ", " + abortCheckIntervalMs + ", " + expiryCheckIntervalMs);
        }
    }
}
