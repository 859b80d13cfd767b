package io.runnel.broker.record;

/**
 * How a topic treats record timestamps (Kafka topic configs; KIP-32, KIP-937).
 *
 * @param logAppendTime {@code message.timestamp.type=LogAppendTime}: the broker stamps each batch with its clock;
 *                      otherwise CreateTime, the producer's timestamps, checked against the bounds below
 * @param beforeMaxMs   {@code message.timestamp.before.max.ms}: how far in the past a CreateTime record may be (ms;
 *                      Kafka's default {@code Long.MAX_VALUE}, no bound)
 * @param afterMaxMs    {@code message.timestamp.after.max.ms}: how far in the future (ms; Kafka 4.x default 3600000)
 */
public record TimestampRules(boolean logAppendTime, long beforeMaxMs, long afterMaxMs) {
    /** Kafka 4.x defaults: CreateTime, no lower bound, at most one hour ahead. */
    public static final TimestampRules DEFAULT = new TimestampRules(false, Long.MAX_VALUE, 3_600_000L);

    public TimestampRules {
        if (beforeMaxMs < 0 || afterMaxMs < 0) {
            throw new IllegalArgumentException("timestamp bounds must be at least 0 ms");
        }
    }
}
