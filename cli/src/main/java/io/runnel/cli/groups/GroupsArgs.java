package io.runnel.cli.groups;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import picocli.CommandLine.ParameterException;

/**
 * The flag rules of {@code runnel consumer-groups}, which are Kafka's {@code kafka-consumer-groups.sh} rules with
 * its messages (flag names written {@code --name}): exactly one action; {@code --group} or {@code --all-groups} where
 * an action needs groups; at most one of {@code --members}, {@code --offsets}, {@code --state} with
 * {@code --describe}; one reset scenario and one scope with {@code --reset-offsets}; each modifier only with the
 * actions it applies to. A broken rule is a usage error (exit 2) raised before any connection is made.
 */
final class GroupsArgs {
    private static final String ACTIONS = "--list, --describe, --delete, --reset-offsets or --delete-offsets";
    private static final Set<GroupState> LISTABLE_STATES = Set.of(GroupState.PREPARING_REBALANCE,
            GroupState.COMPLETING_REBALANCE, GroupState.STABLE, GroupState.DEAD, GroupState.EMPTY,
            GroupState.ASSIGNING, GroupState.RECONCILING);

    private final ConsumerGroupsCommand c;

    GroupsArgs(ConsumerGroupsCommand command) {
        this.c = command;
    }

    /** @throws ParameterException naming the first broken rule */
    void check() {
        int actions = (c.list ? 1 : 0) + (c.describe ? 1 : 0) + (c.delete ? 1 : 0) + (c.resetOffsets ? 1 : 0)
                + (c.deleteOffsets ? 1 : 0);
        if (actions != 1) {
            fail("Command must include exactly one action: " + ACTIONS);
        }
        boolean hasGroup = c.groups != null && !c.groups.isEmpty();
        if (hasGroup && c.allGroups) {
            fail("Option --group can't be used with option --all-groups");
        }
        if ((c.describe || c.delete || c.resetOffsets) && !hasGroup && !c.allGroups) {
            fail("Option " + action() + " takes one of these options: --all-groups, --group");
        }
        onlyWith(hasGroup, "--group", !c.list, "--describe, --delete, --reset-offsets or --delete-offsets");
        onlyWith(c.allGroups, "--all-groups", c.describe || c.delete || c.resetOffsets,
                "--describe, --delete or --reset-offsets");
        if (c.describe) {
            int sub = (c.members ? 1 : 0) + (c.offsets ? 1 : 0) + (c.state != null ? 1 : 0);
            if (sub > 1) {
                fail("Option --describe takes at most one of these options: --members, --offsets, --state");
            }
            if (c.state != null && !c.state.isEmpty()) {
                fail("Option --describe does not take a value for --state");
            }
        }
        onlyWith(c.members, "--members", c.describe, "--describe");
        onlyWith(c.offsets, "--offsets", c.describe, "--describe");
        onlyWith(c.state != null, "--state", c.describe || c.list, "--describe or --list");
        onlyWith(c.type != null, "--type", c.list, "--list");
        if (c.delete && c.topics != null) {
            fail("The consumer does not support topic-specific offset deletion from a consumer group.");
        }
        if (c.deleteOffsets && (!hasGroup || c.topics == null)) {
            fail("Option --delete-offsets takes the following options: --group, --topic");
        }
        if (c.deleteOffsets && c.groups.size() > 1) {
            fail("Option --delete-offsets supports one consumer group at a time");
        }
        onlyWith(c.topics != null, "--topic", c.resetOffsets || c.deleteOffsets, "--reset-offsets or "
                + "--delete-offsets");
        onlyWith(c.allTopics, "--all-topics", c.resetOffsets, "--reset-offsets");
        onlyWith(c.dryRun, "--dry-run", c.resetOffsets, "--reset-offsets");
        onlyWith(c.execute, "--execute", c.resetOffsets, "--reset-offsets");
        List<ResetSpec.Kind> scenarios = scenarios();
        for (ResetSpec.Kind k : scenarios) {
            onlyWith(true, k.flag, c.resetOffsets, "--reset-offsets");
        }
        if (c.resetOffsets) {
            checkReset(scenarios);
        }
        if (!c.output.equals("text") && !c.output.equals("json")) {
            fail("Invalid value '" + c.output + "' for option '--output': expected text or json");
        }
        onlyWith(c.output.equals("json"), "--output json", c.list || c.describe, "--list or --describe");
        if (c.timeoutMs < 1 || c.timeoutMs > Integer.MAX_VALUE) {
            fail("--timeout must be between 1 and " + Integer.MAX_VALUE + " ms");
        }
        topicScopes();
        listStates();
        listTypes();
    }

    private void checkReset(List<ResetSpec.Kind> scenarios) {
        if (c.dryRun && c.execute) {
            fail("Option --reset-offsets only accepts one of --execute and --dry-run");
        }
        if (scenarios.isEmpty()) {
            fail("Option --reset-offsets requires one of the following scenarios: " + Arrays.stream(
                    ResetSpec.Kind.values()).map(k -> k.flag).collect(Collectors.joining(", ")));
        }
        if (scenarios.size() > 1) {
            fail("Option " + scenarios.get(0).flag + " can't be used with option " + scenarios.get(1).flag);
        }
        if (!c.allTopics && c.topics == null) {
            fail("One of the reset scopes should be defined: --all-topics, --topic.");
        }
        if (c.allTopics && c.topics != null) {
            fail("Option --all-topics can't be used with option --topic");
        }
        resetSpec();
    }

    private List<ResetSpec.Kind> scenarios() {
        List<ResetSpec.Kind> given = new ArrayList<>();
        if (c.toDatetime != null) {
            given.add(ResetSpec.Kind.TO_DATETIME);
        }
        if (c.byDuration != null) {
            given.add(ResetSpec.Kind.BY_DURATION);
        }
        if (c.toEarliest) {
            given.add(ResetSpec.Kind.TO_EARLIEST);
        }
        if (c.toLatest) {
            given.add(ResetSpec.Kind.TO_LATEST);
        }
        if (c.shiftBy != null) {
            given.add(ResetSpec.Kind.SHIFT_BY);
        }
        if (c.toCurrent) {
            given.add(ResetSpec.Kind.TO_CURRENT);
        }
        if (c.toOffset != null) {
            given.add(ResetSpec.Kind.TO_OFFSET);
        }
        return given;
    }

    /** The scenario of {@code --reset-offsets}, with its value parsed. */
    ResetSpec resetSpec() {
        ResetSpec.Kind kind = scenarios().get(0);
        try {
            return switch (kind) {
                case TO_OFFSET -> new ResetSpec(kind, c.toOffset);
                case SHIFT_BY -> new ResetSpec(kind, c.shiftBy);
                case TO_DATETIME -> new ResetSpec(kind, ResetSpec.parseDateTime(c.toDatetime, ZoneId.systemDefault()));
                case BY_DURATION -> new ResetSpec(kind, ResetSpec.parseDuration(c.byDuration,
                        System.currentTimeMillis()));
                default -> new ResetSpec(kind, 0);
            };
        } catch (IllegalArgumentException e) {
            throw new ParameterException(c.spec.commandLine(), e.getMessage());
        }
    }

    /** The parsed {@code --topic} values (empty without any). */
    List<TopicScope> topicScopes() {
        List<TopicScope> out = new ArrayList<>();
        if (c.topics == null) {
            return out;
        }
        try {
            for (String t : c.topics) {
                out.add(TopicScope.parse(t));
            }
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
        }
        return out;
    }

    /** The states of {@code --list --state a,b}, empty for all. */
    Set<GroupState> listStates() {
        Set<GroupState> out = new LinkedHashSet<>();
        if (c.state == null || c.state.isEmpty() || !c.list) {
            return out;
        }
        for (String s : c.state.split(",")) {
            GroupState parsed = GroupState.parse(s.trim());
            if (!LISTABLE_STATES.contains(parsed)) {
                fail("Invalid state list '" + c.state + "'. Valid states are: " + LISTABLE_STATES.stream()
                        .map(GroupState::toString).sorted().collect(Collectors.joining(", ")));
            }
            out.add(parsed);
        }
        return out;
    }

    /** The types of {@code --list --type a,b}, empty for all. */
    Set<GroupType> listTypes() {
        Set<GroupType> out = new LinkedHashSet<>();
        if (c.type == null || c.type.isEmpty()) {
            return out;
        }
        for (String s : c.type.toLowerCase(Locale.ROOT).split(",")) {
            GroupType parsed = GroupType.parse(s.trim());
            if (parsed != GroupType.CLASSIC && parsed != GroupType.CONSUMER) {
                fail("Invalid types list '" + c.type + "'. Valid types are: classic, consumer");
            }
            out.add(parsed);
        }
        return out;
    }

    private String action() {
        return c.list ? "--list" : c.describe ? "--describe" : c.delete ? "--delete" : c.resetOffsets
                ? "--reset-offsets" : "--delete-offsets";
    }

    private void onlyWith(boolean given, String flag, boolean allowed, String actions) {
        if (given && !allowed) {
            fail(flag + " can only be used with " + actions);
        }
    }

    private void fail(String message) {
        throw new ParameterException(c.spec.commandLine(), message);
    }
}
