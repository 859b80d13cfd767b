package io.runnel.broker.producer;

/**
 * One appended batch of an idempotent producer, remembered to recognize a retried duplicate.
 *
 * @param firstSeq    the batch's base sequence
 * @param lastSeq     its last sequence (wrapping after {@code Integer.MAX_VALUE})
 * @param firstOffset offset the log gave its first record
 * @param lastOffset  offset of its last record
 * @param timestamp   its max timestamp as stored (ms; LogAppendTime when the topic uses it)
 */
public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestamp) {
}
