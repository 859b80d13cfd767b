package io.runnel.cli.topics;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import picocli.CommandLine.ParameterException;

/**
 * The flag rules of {@code runnel topics}, which are Kafka's {@code kafka-topics.sh} rules (plus {@code --config}
 * with {@code --alter}): exactly one action; {@code --topic} for create, alter and delete; each modifier only with
 * the actions it applies to; sane partition and replication counts; a well-formed {@code --replica-assignment},
 * never with {@code --partitions} or {@code --replication-factor} on create, and covering {@code --partitions}
 * partitions on alter. A broken rule is a usage error (exit 2) raised
 * before any connection is made.
 */
final class TopicsArgs {

    private static final String ACTIONS = "--list, --describe, --create, --alter or --delete";

    private final TopicsCommand c;

    /** @param command the parsed command whose flags are checked */
    TopicsArgs(TopicsCommand command) {
        this.c = command;
    }

    /** @throws ParameterException naming the first broken rule */
    void check() {
        int actions = (c.create ? 1 : 0) + (c.list ? 1 : 0) + (c.describe ? 1 : 0) + (c.alter ? 1 : 0)
                + (c.delete ? 1 : 0);
        if (actions != 1) {
            fail("Command must include exactly one action: " + ACTIONS);
        }
        String action = c.create ? "--create" : c.list ? "--list" : c.describe ? "--describe"
                : c.alter ? "--alter" : "--delete";
        if (c.topic == null && (c.create || c.alter || c.delete)) {
            fail("--topic is required with " + action);
        }
        if (c.topic == null && c.describe && c.ifExists) {
            fail("--topic is required with --describe --if-exists");
        }
        onlyWith(c.configs != null, "--config", c.create || c.alter, "--create or --alter");
        onlyWith(c.partitions != null, "--partitions", c.create || c.alter, "--create or --alter");
        onlyWith(c.replicationFactor != null, "--replication-factor", c.create, "--create");
        onlyWith(c.replicaAssignment != null, "--replica-assignment", c.create || c.alter, "--create or --alter");
        if (c.replicaAssignment != null) {
            checkReplicaAssignment();
        }
        onlyWith(c.ifExists, "--if-exists", c.alter || c.delete || c.describe, "--alter, --delete or --describe");
        onlyWith(c.ifNotExists, "--if-not-exists", c.create, "--create");
        onlyWith(c.excludeInternal, "--exclude-internal", c.list || c.describe, "--list or --describe");
        for (String report : reportFlags()) {
            onlyWith(true, report, c.describe, "--describe");
            if (c.withOverrides) {
                fail("--topics-with-overrides cannot be used with " + report);
            }
        }
        onlyWith(c.withOverrides, "--topics-with-overrides", c.describe, "--describe");
        if (c.alter && c.partitions == null && c.configs == null) {
            fail("--alter needs --partitions and/or --config");
        }
        if (c.partitions != null && c.partitions < 1) {
            fail("The partitions must be greater than 0");
        }
        if (c.replicationFactor != null && (c.replicationFactor < 1 || c.replicationFactor > Short.MAX_VALUE)) {
            fail("The replication factor must be between 1 and " + Short.MAX_VALUE + " inclusive");
        }
        if (c.create) {
            try {
                Topic.validate(c.topic);
            } catch (InvalidTopicException e) {
                fail(e.getMessage());
            }
        }
        try {
            TopicFilter.of(c.topic);
        } catch (IllegalArgumentException e) {
            if (!c.create) {
                fail(e.getMessage());
            }
        }
    }

    /**
     * Kafka's rules: with --create, the assignment gives the partition count and replication factor, so neither flag
     * may come too; with --alter, --partitions is required and the assignment lists every partition (existing ones
     * too, whose entries are skipped), so its length must equal --partitions.
     */
    private void checkReplicaAssignment() {
        ReplicaAssignment parsed;
        try {
            parsed = ReplicaAssignment.parse(c.replicaAssignment);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        if (c.create && c.partitions != null) {
            fail("--replica-assignment cannot be used with --partitions");
        }
        if (c.create && c.replicationFactor != null) {
            fail("--replica-assignment cannot be used with --replication-factor");
        }
        if (c.alter && c.partitions == null) {
            fail("--replica-assignment with --alter needs --partitions");
        }
        if (c.alter && parsed.size() != c.partitions) {
            fail("--replica-assignment lists " + parsed.size() + " partition(s) but --partitions is " + c.partitions
                    + ": list the replicas of every partition, existing ones first, as kafka-topics.sh does");
        }
    }

    private List<String> reportFlags() {
        List<String> given = new ArrayList<>();
        if (c.underReplicated) {
            given.add("--under-replicated-partitions");
        }
        if (c.unavailable) {
            given.add("--unavailable-partitions");
        }
        if (c.underMinIsr) {
            given.add("--under-min-isr-partitions");
        }
        if (c.atMinIsr) {
            given.add("--at-min-isr-partitions");
        }
        return given;
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
