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
 * How far a Streams application has got through its source topics (the input, and its own repartition topic), as its
 * consumer group's committed offsets say (with exactly_once_v2 they are committed in the same transaction as what
 * processing them wrote, so they mark what is processed).
 */
final class EosProgress {

    private final Admin admin;
    private final String group;
    private final String input;
    private final List<String> sources;
    private volatile String lastSeen = "nothing yet";

    /**
     * @param input   the input topic, which {@link #committed()} counts
     * @param sources every topic the application consumes, which {@link #caughtUp()} checks
     */
    EosProgress(Admin admin, String group, String input, List<String> sources) {
        this.admin = admin;
        this.group = group;
        this.input = input;
        this.sources = sources;
    }

    /** The committed offsets of the group on the partitions of {@code topics}. */
    Map<TopicPartition, Long> committedOffsets(List<String> topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS);
        Map<TopicPartition, Long> out = offsets.entrySet().stream()
                .filter(e -> topics.contains(e.getKey().topic()) && e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        lastSeen = "committed " + out;
        return out;
    }

    /** The sum of the committed input offsets: how many input lines are processed and committed. */
    long committed() throws Exception {
        return committedOffsets(List.of(input)).values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Whether every source partition's committed offset is its end offset (the high watermark: a transaction left
     * open on a source partition keeps the application's read_committed consumer, and so this, from getting there).
     */
    boolean caughtUp() throws Exception {
        Map<TopicPartition, Long> committed = committedOffsets(sources);
        List<TopicPartition> tps = admin.describeTopics(sources).allTopicNames().get(20, TimeUnit.SECONDS)
                .values().stream().flatMap(d -> d.partitions().stream()
                        .map(p -> new TopicPartition(d.name(), p.partition()))).toList();
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
