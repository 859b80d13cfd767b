package io.runnel.cli.groups;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

/**
 * What {@code consumer-groups --describe} shows of one group, gathered as Kafka's tool gathers it: the description
 * (state, coordinator, assignor, members), then for {@code --offsets} (the default) every partition a member owns
 * (members with the most partitions first) followed by partitions with a committed offset no member owns, each
 * with its committed offset, log end offset and lag.
 *
 * @param rows    the offsets rows; empty unless collected for {@code --offsets}
 * @param members the members, in the description's order
 */
public record GroupReport(String group, GroupState state, Node coordinator, String assignor, List<PartitionRow> rows,
                          List<MemberRow> members) {

    private static final Comparator<TopicPartition> BY_PARTITION =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    /** True for a group the broker does not know ({@code Dead}, Kafka's answer for an unknown group). */
    public boolean missing() {
        return state == GroupState.DEAD;
    }

    /** The state, members and assignor only (for {@code --members} and {@code --state}). */
    static GroupReport of(String group, ConsumerGroupDescription d) {
        List<MemberRow> members = new ArrayList<>();
        for (MemberDescription m : d.members()) {
            List<TopicPartition> owned = new ArrayList<>(m.assignment().topicPartitions());
            owned.sort(BY_PARTITION);
            members.add(new MemberRow(group, m.consumerId(), m.groupInstanceId().orElse(""), m.host(), m.clientId(),
                    List.copyOf(owned)));
        }
        return new GroupReport(group, d.groupState(), d.coordinator(), d.partitionAssignor(), List.of(), members);
    }

    /** The report with offsets rows, reading committed offsets and log end offsets through {@code admin}. */
    static GroupReport withOffsets(GroupAdmin admin, String group, ConsumerGroupDescription d) {
        GroupReport base = of(group, d);
        if (base.missing()) {
            return base;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.committedOffsets(group);
        List<MemberRow> owners = new ArrayList<>(base.members());
        owners.removeIf(m -> m.assignment().isEmpty());
        owners.sort(Comparator.comparingInt((MemberRow m) -> m.assignment().size()).reversed());
        Set<TopicPartition> all = new HashSet<>(committed.keySet());
        owners.forEach(m -> all.addAll(m.assignment()));
        Map<TopicPartition, Long> ends = admin.listOffsets(all, GroupAdmin.LATEST);
        List<PartitionRow> rows = new ArrayList<>();
        Set<TopicPartition> owned = new HashSet<>();
        for (MemberRow m : owners) {
            for (TopicPartition tp : m.assignment()) {
                owned.add(tp);
                rows.add(row(group, tp, committed.get(tp), ends.get(tp), m.consumerId(), m.host(), m.clientId()));
            }
        }
        Map<TopicPartition, OffsetAndMetadata> sorted = new TreeMap<>(BY_PARTITION);
        sorted.putAll(committed);
        sorted.forEach((tp, o) -> {
            if (!owned.contains(tp)) {
                rows.add(row(group, tp, o, ends.get(tp), null, null, null));
            }
        });
        return new GroupReport(group, base.state(), base.coordinator(), base.assignor(), List.copyOf(rows),
                base.members());
    }

    private static PartitionRow row(String group, TopicPartition tp, OffsetAndMetadata committed, Long end,
                                    String consumer, String host, String client) {
        Long current = committed == null ? null : committed.offset();
        Integer epoch = committed == null ? null : committed.leaderEpoch().orElse(null);
        Long lag = current != null && current != -1 && end != null ? end - current : null;
        return new PartitionRow(group, tp.topic(), tp.partition(), epoch, current, end, lag, consumer, host, client);
    }

    /** Per topic (sorted): the sum of the known lags. */
    public Map<String, Long> totalLagByTopic() {
        Map<String, Long> out = new TreeMap<>();
        for (PartitionRow r : rows) {
            out.merge(r.topic(), r.lag() == null ? 0L : r.lag(), Long::sum);
        }
        return out;
    }

    /** Per topic (sorted): how many partitions have no known lag (no committed offset or no log end offset). */
    public Map<String, Integer> unknownLagByTopic() {
        Map<String, Integer> out = new TreeMap<>();
        for (PartitionRow r : rows) {
            out.merge(r.topic(), r.lag() == null ? 1 : 0, Integer::sum);
        }
        return out;
    }
}
