package io.runnel.cli.groups;

import io.runnel.cli.CliException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The five actions of {@code runnel consumer-groups} on a {@link GroupAdmin}, printing what Kafka's tool prints.
 * Where Kafka's tool prints an error and exits 0 (an unknown group, a group that is not inactive, a failed
 * deletion), these print the same lines and then fail with a {@link CliException} (exit 1).
 */
final class GroupActions {
    private final GroupAdmin admin;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean verbose;

    GroupActions(GroupAdmin admin, PrintWriter out, PrintWriter err, boolean json, boolean verbose) {
        this.admin = admin;
        this.out = out;
        this.err = err;
        this.json = json;
        this.verbose = verbose;
    }

    /** {@code --list [--state [S]] [--type [T]]}: groups sorted by id, filtered by state and type when given. */
    void list(boolean withState, boolean withType, Set<GroupState> states, Set<GroupType> types) {
        List<GroupListing> groups = new ArrayList<>(admin.listGroups());
        groups.removeIf(g -> !states.isEmpty() && !states.contains(g.groupState().orElse(GroupState.UNKNOWN)));
        groups.removeIf(g -> !types.isEmpty() && !types.contains(g.type().orElse(GroupType.UNKNOWN)));
        groups.sort(Comparator.comparing(GroupListing::groupId));
        if (json) {
            out.println(GroupJson.list(groups));
        } else if (withState || withType) {
            GroupTables.listTable(out, groups, withType, withState);
        } else {
            GroupTables.listIds(out, groups);
        }
    }

    /**
     * {@code --describe} of the groups (sorted), as {@code kind} ({@code offsets}, {@code members}, {@code state}).
     *
     * @throws CliException after the others are printed, naming each group that does not exist
     */
    void describe(List<String> groups, boolean allGroups, String kind) {
        List<String> ids = groupIds(groups, allGroups);
        if (ids.isEmpty()) {
            if (json) {
                out.println("[]");
            }
            return;
        }
        Map<String, ConsumerGroupDescription> described = admin.describeGroups(ids);
        List<GroupReport> reports = new ArrayList<>();
        for (String id : new TreeMap<>(described).keySet()) {
            ConsumerGroupDescription d = described.get(id);
            reports.add(kind.equals("offsets") ? GroupReport.withOffsets(admin, id, d) : GroupReport.of(id, d));
        }
        if (json) {
            out.println(GroupJson.describe(reports, kind));
        } else {
            for (GroupReport r : reports) {
                if (r.missing()) {
                    continue;
                }
                switch (kind) {
                    case "members" -> GroupTables.members(out, err, r, verbose);
                    case "state" -> GroupTables.state(out, err, r, verbose);
                    default -> GroupTables.offsets(out, err, r, verbose);
                }
            }
        }
        List<String> missing = reports.stream().filter(GroupReport::missing).map(GroupReport::group).toList();
        if (!missing.isEmpty()) {
            out.flush();
            throw new CliException(missing.size() == 1 ? "Consumer group '" + missing.get(0) + "' does not exist."
                    : "Consumer groups " + quoted(missing) + " do not exist.");
        }
    }

    /** {@code --delete}: Kafka's success line, or its failure lines and exit 1. */
    void delete(List<String> groups, boolean allGroups) {
        List<String> ids = groupIds(groups, allGroups);
        Map<String, Throwable> results = admin.deleteGroups(ids);
        List<String> deleted = new ArrayList<>();
        Map<String, Throwable> failed = new LinkedHashMap<>();
        results.forEach((g, e) -> {
            if (e == null) {
                deleted.add(g);
            } else {
                failed.put(g, e);
            }
        });
        if (failed.isEmpty()) {
            out.println("Deletion of requested consumer groups (" + quoted(deleted) + ") was successful.");
            return;
        }
        out.println("\nError: Deletion of some consumer groups failed:");
        failed.forEach((g, e) -> out.println("* Group '" + g + "' could not be deleted due to: " + e));
        if (!deleted.isEmpty()) {
            out.println("\nThese consumer groups were deleted successfully: " + quoted(deleted));
        }
        out.flush();
        throw new CliException("could not delete consumer group" + (failed.size() == 1 ? " " : "s ")
                + quoted(new ArrayList<>(failed.keySet())));
    }

    /**
     * {@code --reset-offsets}: plans (and with {@code execute} commits) new offsets for each inactive group, prints
     * the plan; a group with active members is left alone and fails the command after the others.
     */
    void reset(List<String> groups, boolean allGroups, List<TopicScope> scopes, boolean allTopics, ResetSpec spec,
               boolean execute) {
        List<String> ids = groupIds(groups, allGroups);
        Map<String, ConsumerGroupDescription> described = admin.describeGroups(ids);
        OffsetResetter resetter = new OffsetResetter(admin, err);
        Map<String, Map<TopicPartition, Long>> plan = new TreeMap<>();
        List<String> active = new ArrayList<>();
        for (String id : ids) {
            GroupState state = described.get(id).groupState();
            if (state != GroupState.EMPTY && state != GroupState.DEAD) {
                out.println("\nError: Assignments can only be reset if the group '" + id + "' is inactive, but the "
                        + "current state is " + state + ".");
                active.add(id + " (" + state + ")");
                plan.put(id, Map.of());
                continue;
            }
            Map<TopicPartition, Long> offsets = resetter.plan(id, resetter.scope(id, scopes, allTopics), spec);
            if (execute && !offsets.isEmpty()) {
                Map<TopicPartition, OffsetAndMetadata> commit = new LinkedHashMap<>();
                offsets.forEach((tp, o) -> commit.put(tp, new OffsetAndMetadata(o)));
                admin.alterOffsets(id, commit);
            }
            plan.put(id, offsets);
        }
        GroupTables.resetPlan(out, plan);
        if (!active.isEmpty()) {
            out.flush();
            throw new CliException("Assignments can only be reset if the group is inactive: " + String.join(", ",
                    active));
        }
    }

    /** {@code --delete-offsets}: Kafka's result line and TOPIC/PARTITION/STATUS table; exit 1 on any error. */
    void deleteOffsets(String group, List<TopicScope> scopes) {
        Map<TopicPartition, Throwable> results = new LinkedHashMap<>();
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        OffsetResetter resetter = new OffsetResetter(admin, err);
        for (TopicScope scope : scopes) {
            try {
                partitions.addAll(resetter.partitions(List.of(scope)));
            } catch (UnknownTopicOrPartitionException e) {
                results.put(new TopicPartition(scope.topic(), -1), e);
            }
        }
        if (!partitions.isEmpty()) {
            results.putAll(admin.deleteOffsets(group, partitions));
        }
        boolean failures = results.values().stream().anyMatch(e -> e != null);
        if (failures) {
            out.println("\nError: Encountered some partition-level error, see the follow-up details.");
        } else {
            out.println("Request succeeded for deleting offsets from group " + group + ".");
        }
        int topicLen = Math.max(15, results.keySet().stream().mapToInt(tp -> tp.topic().length()).max().orElse(0));
        String format = "\n%-" + topicLen + "s %-10s %-15s";
        StringBuilder text = new StringBuilder(String.format(format, "TOPIC", "PARTITION", "STATUS"));
        results.entrySet().stream().sorted(Map.Entry.comparingByKey(OffsetResetter.BY_PARTITION)).forEach(e ->
                text.append(String.format(format, e.getKey().topic(), e.getKey().partition() >= 0
                        ? String.valueOf(e.getKey().partition()) : GroupTables.MISSING, e.getValue() == null
                        ? "Successful" : "Error: " + e.getValue().getMessage())));
        out.println(text);
        if (failures) {
            out.flush();
            throw new CliException("some offsets of group " + group + " could not be deleted");
        }
    }

    private List<String> groupIds(List<String> groups, boolean allGroups) {
        if (allGroups) {
            return admin.listGroups().stream().map(GroupListing::groupId).sorted().toList();
        }
        return new ArrayList<>(new LinkedHashSet<>(groups));
    }

    private static String quoted(List<String> groups) {
        return groups.stream().map(g -> "'" + g + "'").collect(Collectors.joining(", "));
    }
}
