package io.runnel.cli.groups;

/**
 * One row of {@code consumer-groups --describe}: a partition the group owns or has an offset for. Absent values are
 * null (printed as Kafka's {@code -}).
 *
 * @param leaderEpoch   the leader epoch stored with the committed offset (KIP-320)
 * @param currentOffset the committed offset
 * @param logEndOffset  the partition's log end offset (high watermark)
 * @param lag           {@code logEndOffset - currentOffset} when both are known
 * @param consumerId    the member owning the partition, null when none does
 */
public record PartitionRow(String group, String topic, int partition, Integer leaderEpoch, Long currentOffset,
                           Long logEndOffset, Long lag, String consumerId, String host, String clientId) {
}
