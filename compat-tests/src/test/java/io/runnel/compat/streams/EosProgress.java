package io.runnel.compat.streams;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a Streams application has got through its input topic, as its consumer group's committed offsets say
 * (with exactly_once_v2 they are committed in the same transaction as the output, so they are the processed input).
 */
final class EosProgress {

    private final Admin admin;
    private final String group;
    private final String input;
    private volatile String lastSeen = "nothing yet";

    EosProgress(Admin admin, String group, String input) {
        this.admin = admin;
        this.group = group;
        this.input = input;
    }

    /** The committed offsets of the group on the input topic's partitions. */
    Map<TopicPartition, Long> committedOffsets() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS);
        Map<TopicPartition, Long> out = offsets.entrySet().stream()
                .filter(e -> e.getKey().topic().equals(input) && e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        lastSeen = "committed " + out;
        return out;
    }

    /** The sum of the committed input offsets: how many input lines are processed and committed. */
    long committed() throws Exception {
        return committedOffsets().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Whether every input partition's committed offset is its end offset. */
    boolean caughtUp() throws Exception {
        Map<TopicPartition, Long> committed = committedOffsets();
        List<TopicPartition> tps = admin.describeTopics(List.of(input)).allTopicNames().get(20, TimeUnit.SECONDS)
                .get(input).partitions().stream().map(p -> new TopicPartition(input, p.partition())).toList();
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin
                .listOffsets(tps.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                .all().get(20, TimeUnit.SECONDS);
        lastSeen = "committed " + committed + ", end offsets " + ends.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        return tps.stream().allMatch(tp -> committed.getOrDefault(tp, -1L) == ends.get(tp).offset());
    }

    @Override
    public String toString() {
        return lastSeen;
    }
}
