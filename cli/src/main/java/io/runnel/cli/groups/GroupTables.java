package io.runnel.cli.groups;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;

/**
 * The text output of {@code consumer-groups}, in the layout of Kafka's {@code kafka-consumer-groups.sh} (column
 * names, widths, the blank line before each table, {@code -} for a missing value, the notes about empty and
 * rebalancing groups on stderr), plus Runnel's total-lag line per topic under {@code --describe}.
 */
final class GroupTables {
    static final String MISSING = "-";

    private GroupTables() {
    }

    /** {@code --list}: one group id per line. */
    static void listIds(PrintWriter out, List<GroupListing> groups) {
        groups.forEach(g -> out.println(g.groupId()));
    }

    /** {@code --list --state} / {@code --type}: a GROUP column, then TYPE and/or STATE. */
    static void listTable(PrintWriter out, List<GroupListing> groups, boolean withType, boolean withState) {
        int groupLen = groups.stream().mapToInt(g -> Math.max(15, g.groupId().length())).max().orElse(15) + 10;
        String format = "%-" + groupLen + "s";
        List<String> header = new ArrayList<>(List.of("GROUP"));
        if (withType) {
            header.add("TYPE");
            format += " %-20s";
        }
        if (withState) {
            header.add("STATE");
            format += " %-20s";
        }
        out.println(String.format(format, header.toArray()));
        for (GroupListing g : groups) {
            List<String> row = new ArrayList<>(List.of(g.groupId()));
            if (withType) {
                row.add(g.type().orElse(GroupType.UNKNOWN).toString());
            }
            if (withState) {
                row.add(g.groupState().orElse(GroupState.UNKNOWN).toString());
            }
            out.println(String.format(format, row.toArray()));
        }
    }

    /**
     * The note Kafka prints before a group's table (on stderr): no active members, or rebalancing.
     *
     * @return whether the group has rows worth a table
     */
    static boolean stateNote(PrintWriter err, GroupReport r, int rows) {
        switch (r.state()) {
            case EMPTY -> err.println("\nConsumer group '" + r.group() + "' has no active members.");
            case PREPARING_REBALANCE, COMPLETING_REBALANCE, ASSIGNING, RECONCILING ->
                    err.println("\nWarning: Consumer group '" + r.group() + "' is rebalancing.");
            default -> {
            }
        }
        return rows > 0;
    }

    /** {@code --describe [--offsets]}: one row per partition, then Runnel's total lag per topic. */
    static void offsets(PrintWriter out, PrintWriter err, GroupReport r, boolean verbose) {
        if (!stateNote(err, r, r.rows().size())) {
            return;
        }
        int groupLen = 15;
        int topicLen = 15;
        int consumerLen = 15;
        int hostLen = 15;
        for (PartitionRow row : r.rows()) {
            groupLen = Math.max(groupLen, row.group().length());
            topicLen = Math.max(topicLen, row.topic().length());
            consumerLen = Math.max(consumerLen, or(row.consumerId()).length());
            hostLen = Math.max(hostLen, or(row.host()).length());
        }
        String format = "\n%-" + groupLen + "s %-" + topicLen + "s %-10s "
                + (verbose ? "%-15s " : "") + "%-15s %-15s %-15s %-" + consumerLen + "s %-" + hostLen + "s %s";
        StringBuilder text = new StringBuilder();
        List<Object> header = new ArrayList<>(List.of("GROUP", "TOPIC", "PARTITION"));
        if (verbose) {
            header.add("LEADER-EPOCH");
        }
        header.addAll(List.of("CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID"));
        text.append(String.format(format, header.toArray()));
        for (PartitionRow row : r.rows()) {
            List<Object> cells = new ArrayList<>(List.of(row.group(), row.topic(), String.valueOf(row.partition())));
            if (verbose) {
                cells.add(or(row.leaderEpoch()));
            }
            cells.addAll(List.of(or(row.currentOffset()), or(row.logEndOffset()), or(row.lag()),
                    or(row.consumerId()), or(row.host()), or(row.clientId())));
            text.append(String.format(format, cells.toArray()));
        }
        out.println(text);
        Map<String, Integer> unknown = r.unknownLagByTopic();
        r.totalLagByTopic().forEach((topic, lag) -> {
            int n = unknown.getOrDefault(topic, 0);
            out.println("Total lag of topic " + topic + ": " + lag + (n == 0 ? ""
                    : " (" + n + (n == 1 ? " partition" : " partitions") + " without a committed offset)"));
        });
    }

    /** {@code --describe --members [--verbose]}. */
    static void members(PrintWriter out, PrintWriter err, GroupReport r, boolean verbose) {
        stateNote(err, r, r.members().size());
        int groupLen = 15;
        int consumerLen = 15;
        int instanceLen = 17;
        int hostLen = 15;
        int clientLen = 15;
        int assignmentLen = 20;
        boolean withInstance = false;
        for (MemberRow m : r.members()) {
            groupLen = Math.max(groupLen, m.group().length());
            consumerLen = Math.max(consumerLen, m.consumerId().length());
            instanceLen = Math.max(instanceLen, m.groupInstanceId().length());
            hostLen = Math.max(hostLen, m.host().length());
            clientLen = Math.max(clientLen, m.clientId().length());
            withInstance |= !m.groupInstanceId().isEmpty();
            assignmentLen = Math.max(assignmentLen, assignment(m.assignment()).length());
        }
        String format = "%-" + groupLen + "s %-" + consumerLen + "s " + (withInstance ? "%-" + instanceLen + "s "
                : "") + "%-" + hostLen + "s %-" + clientLen + "s %-15s ";
        String verboseFormat = "%-15s %-" + assignmentLen + "s %-15s %-20s";
        StringBuilder text = new StringBuilder("\n");
        List<Object> header = new ArrayList<>(List.of("GROUP", "CONSUMER-ID"));
        if (withInstance) {
            header.add("GROUP-INSTANCE-ID");
        }
        header.addAll(List.of("HOST", "CLIENT-ID", "#PARTITIONS"));
        text.append(String.format(format, header.toArray()));
        if (verbose) {
            text.append(String.format(verboseFormat, "CURRENT-EPOCH", "CURRENT-ASSIGNMENT", "TARGET-EPOCH",
                    "TARGET-ASSIGNMENT"));
        }
        out.println(text);
        for (MemberRow m : r.members()) {
            List<Object> cells = new ArrayList<>(List.of(m.group(), m.consumerId()));
            if (withInstance) {
                cells.add(m.groupInstanceId());
            }
            cells.addAll(List.of(m.host(), m.clientId(), m.assignment().size()));
            String line = String.format(format, cells.toArray());
            if (verbose) {
                line += String.format(verboseFormat, MISSING, assignment(m.assignment()), MISSING, MISSING);
            }
            out.println(line);
        }
    }

    /** {@code --describe --state [--verbose]}. */
    static void state(PrintWriter out, PrintWriter err, GroupReport r, boolean verbose) {
        stateNote(err, r, 1);
        String coordinator = r.coordinator() == null ? MISSING : r.coordinator().host() + ":"
                + r.coordinator().port() + "  (" + r.coordinator().idString() + ")";
        int coordinatorLen = Math.max(25, coordinator.length());
        int groupLen = Math.max(15, r.group().length());
        String strategy = r.assignor() == null || r.assignor().isEmpty() ? MISSING : r.assignor();
        String format = "\n%-" + groupLen + "s %-" + coordinatorLen + "s %-20s %-20s "
                + (verbose ? "%-15s %-25s " : "") + "%s";
        List<Object> header = new ArrayList<>(List.of("GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE"));
        List<Object> row = new ArrayList<>(List.of(r.group(), coordinator, strategy, r.state().toString()));
        if (verbose) {
            header.addAll(List.of("GROUP-EPOCH", "TARGET-ASSIGNMENT-EPOCH"));
            row.addAll(List.of(MISSING, MISSING));
        }
        header.add("#MEMBERS");
        row.add(r.members().size());
        out.println(String.format(format, header.toArray()) + String.format(format, row.toArray()));
    }

    /** {@code --reset-offsets}: GROUP TOPIC PARTITION NEW-OFFSET, sorted by group, topic, partition. */
    static void resetPlan(PrintWriter out, Map<String, Map<TopicPartition, Long>> plan) {
        int groupLen = Math.max(15, plan.keySet().stream().mapToInt(String::length).max().orElse(0));
        int topicLen = Math.max(15, plan.values().stream().flatMap(m -> m.keySet().stream())
                .mapToInt(tp -> tp.topic().length()).max().orElse(0));
        String format = "\n%-" + groupLen + "s %-" + topicLen + "s %-10s %s";
        StringBuilder text = new StringBuilder();
        if (!plan.isEmpty()) {
            text.append(String.format(format, "GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"));
        }
        new TreeMap<>(plan).forEach((group, offsets) -> offsets.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(OffsetResetter.BY_PARTITION))
                .forEach(e -> text.append(String.format(format, group, e.getKey().topic(), e.getKey().partition(),
                        e.getValue()))));
        out.println(text);
    }

    /** Kafka's assignment string: {@code topic:0,1;other:2}, topics and partitions sorted. */
    static String assignment(List<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return MISSING;
        }
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        return byTopic.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue().stream().sorted()
                .map(String::valueOf).collect(Collectors.joining(","))).collect(Collectors.joining(";"));
    }

    private static String or(Object value) {
        return value == null ? MISSING : value.toString();
    }
}
