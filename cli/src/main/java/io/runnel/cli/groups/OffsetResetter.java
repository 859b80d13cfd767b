package io.runnel.cli.groups;

import io.runnel.cli.CliException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Plans {@code --reset-offsets} as Kafka's tool does: the scope ({@code --all-topics}: the partitions the group has
 * offsets for; {@code --topic t} every partition of t; {@code --topic t:0,2} those), then a new offset per partition
 * from the scenario, clamped into the partition's [log start, log end] range with a warning, as Kafka's
 * {@code GroupOffsetsResetter} does. Warnings go to {@code err}.
 */
final class OffsetResetter {
    static final Comparator<TopicPartition> BY_PARTITION =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final GroupAdmin admin;
    private final PrintWriter err;

    OffsetResetter(GroupAdmin admin, PrintWriter err) {
        this.admin = admin;
        this.err = err;
    }

    /**
     * The partitions to reset, sorted.
     *
     * @throws CliException for a partition that does not exist
     */
    List<TopicPartition> scope(String group, List<TopicScope> topics, boolean allTopics) {
        Set<TopicPartition> out = new LinkedHashSet<>();
        if (allTopics) {
            out.addAll(admin.committedOffsets(group).keySet());
        } else {
            out.addAll(partitions(topics));
        }
        List<TopicPartition> sorted = new ArrayList<>(out);
        sorted.sort(BY_PARTITION);
        return sorted;
    }

    /** Every partition the scopes name, checked against the topics' partition counts. */
    List<TopicPartition> partitions(List<TopicScope> topics) {
        Set<String> names = new LinkedHashSet<>();
        topics.forEach(t -> names.add(t.topic()));
        Map<String, Integer> counts = names.isEmpty() ? Map.of() : admin.partitionCounts(names);
        List<TopicPartition> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (TopicScope t : topics) {
            int count = counts.getOrDefault(t.topic(), 0);
            if (t.partitions() == null) {
                for (int p = 0; p < count; p++) {
                    out.add(new TopicPartition(t.topic(), p));
                }
            } else {
                for (int p : t.partitions()) {
                    if (p >= count) {
                        missing.add(t.topic() + "-" + p);
                    } else {
                        out.add(new TopicPartition(t.topic(), p));
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new CliException("The partitions \"" + String.join(",", missing) + "\" do not exist");
        }
        return out;
    }

    /** The new offset of every partition in {@code partitions} (sorted). */
    Map<TopicPartition, Long> plan(String group, Collection<TopicPartition> partitions, ResetSpec spec) {
        Map<TopicPartition, Long> out = new TreeMap<>(BY_PARTITION);
        if (partitions.isEmpty()) {
            return out;
        }
        switch (spec.kind()) {
            case TO_EARLIEST -> out.putAll(required(admin.listOffsets(partitions, GroupAdmin.EARLIEST), partitions,
                    "Error getting starting offset of topic partition: "));
            case TO_LATEST -> out.putAll(required(admin.listOffsets(partitions, GroupAdmin.LATEST), partitions,
                    "Error getting ending offset of topic partition: "));
            case TO_OFFSET -> {
                Map<TopicPartition, Long> wanted = new HashMap<>();
                partitions.forEach(tp -> wanted.put(tp, spec.value()));
                out.putAll(clamp(wanted));
            }
            case SHIFT_BY -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.committedOffsets(group);
                Map<TopicPartition, Long> wanted = new HashMap<>();
                for (TopicPartition tp : partitions) {
                    OffsetAndMetadata current = committed.get(tp);
                    if (current == null) {
                        throw new CliException("Cannot shift offset for partition " + tp + " since there is no "
                                + "current committed offset");
                    }
                    wanted.put(tp, current.offset() + spec.value());
                }
                out.putAll(clamp(wanted));
            }
            case TO_DATETIME, BY_DURATION -> {
                Map<TopicPartition, Long> found = admin.listOffsets(partitions, spec.value());
                List<TopicPartition> empty = new ArrayList<>();
                for (TopicPartition tp : partitions) {
                    Long o = found.get(tp);
                    if (o == null || o < 0) {
                        err.println("\nWarn: Partition " + tp.partition() + " from topic " + tp.topic()
                                + " is empty. Falling back to latest known offset.");
                        empty.add(tp);
                    } else {
                        out.put(tp, o);
                    }
                }
                out.putAll(required(admin.listOffsets(empty, GroupAdmin.LATEST), empty,
                        "Error getting ending offset of topic partition: "));
            }
            case TO_CURRENT -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.committedOffsets(group);
                List<TopicPartition> without = new ArrayList<>();
                for (TopicPartition tp : partitions) {
                    OffsetAndMetadata current = committed.get(tp);
                    if (current == null) {
                        without.add(tp);
                    } else {
                        out.put(tp, current.offset());
                    }
                }
                out.putAll(required(admin.listOffsets(without, GroupAdmin.LATEST), without,
                        "Error getting ending offset of topic partition: "));
            }
        }
        return out;
    }

    private static Map<TopicPartition, Long> required(Map<TopicPartition, Long> offsets,
                                                      Collection<TopicPartition> partitions, String error) {
        for (TopicPartition tp : partitions) {
            if (offsets.get(tp) == null || offsets.get(tp) < 0) {
                throw new CliException(error + tp);
            }
        }
        return offsets;
    }

    /** Moves offsets outside [log start, log end] to the nearest end, warning as Kafka does. */
    private Map<TopicPartition, Long> clamp(Map<TopicPartition, Long> wanted) {
        Map<TopicPartition, Long> starts = admin.listOffsets(wanted.keySet(), GroupAdmin.EARLIEST);
        Map<TopicPartition, Long> ends = admin.listOffsets(wanted.keySet(), GroupAdmin.LATEST);
        Map<TopicPartition, Long> out = new HashMap<>();
        wanted.forEach((tp, offset) -> {
            Long end = ends.get(tp);
            Long start = starts.get(tp);
            if (end != null && offset > end) {
                err.println("WARN: New offset (" + offset + ") is higher than latest offset for topic partition "
                        + tp + ". Value will be set to " + end + ".");
                out.put(tp, end);
            } else if (start != null && offset < start) {
                err.println("WARN: New offset (" + offset + ") is lower than earliest offset for topic partition "
                        + tp + ". Value will be set to " + start + ".");
                out.put(tp, start);
            } else {
                out.put(tp, offset);
            }
        });
        return out;
    }
}
