package io.runnel.cli.groups;

import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * One member in {@code consumer-groups --describe --members}.
 *
 * @param groupInstanceId the static member's {@code group.instance.id}, {@code ""} for a dynamic member
 * @param assignment      the partitions it owns, sorted
 */
public record MemberRow(String group, String consumerId, String groupInstanceId, String host, String clientId,
                        List<TopicPartition> assignment) {
}
