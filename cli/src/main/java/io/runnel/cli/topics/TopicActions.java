package io.runnel.cli.topics;

import io.runnel.cli.CliException;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.internals.Topic;

/**
 * The actions of {@code runnel topics} that select existing topics by {@code --topic} regex: list, describe, alter
 * and delete. When a {@code --topic} matches nothing, describe, alter and delete fail with Kafka's
 * {@code Topic 'X' does not exist as expected} unless {@code --if-exists} was given.
 */
final class TopicActions {

    private final TopicAdmin admin;
    private final PrintWriter out;
    private final boolean excludeInternal;

    /**
     * @param admin the connection to the cluster
     * @param out where output lines go
     * @param excludeInternal whether {@code --exclude-internal} was given
     */
    TopicActions(TopicAdmin admin, PrintWriter out, boolean excludeInternal) {
        this.admin = admin;
        this.out = out;
        this.excludeInternal = excludeInternal;
    }

    /** Prints the names of the selected topics, one per line, sorted. */
    void list(String topicOption) {
        matching(topicOption).forEach(out::println);
    }

    /** Prints the {@code --describe} lines of the selected topics. */
    void describe(String topicOption, boolean ifExists, TopicDescriber describer) {
        List<String> topics = existing(topicOption, ifExists);
        if (topics.isEmpty()) {
            return;
        }
        Map<String, TopicDescription> descriptions = admin.describeTopics(topics);
        Map<String, Config> configs = admin.describeConfigs(topics);
        Set<Integer> live = describer.unavailable() ? admin.liveBrokerIds() : Set.of();
        describer.lines(new ArrayList<>(descriptions.values()), configs, live).forEach(out::println);
    }

    /**
     * Raises the partition count and/or sets configs of the selected topics; prints nothing, as Kafka's tool. With an
     * assignment (listing every partition), each topic's new partitions get its entries from the topic's current
     * partition count on.
     */
    void alter(String topicOption, boolean ifExists, Optional<Integer> partitions,
               Optional<ReplicaAssignment> assignment, Map<String, String> configs) {
        List<String> topics = existing(topicOption, ifExists);
        if (topics.isEmpty()) {
            return;
        }
        if (partitions.isPresent()) {
            Map<String, Integer> counts = new HashMap<>();
            topics.forEach(t -> counts.put(t, partitions.get()));
            if (assignment.isPresent()) {
                Map<String, List<List<Integer>>> lists = new HashMap<>();
                admin.describeTopics(topics).forEach((name, d) ->
                        lists.put(name, assignment.get().from(d.partitions().size())));
                admin.createPartitions(counts, lists);
            } else {
                admin.createPartitions(counts);
            }
        }
        if (!configs.isEmpty()) {
            Map<String, Map<String, String>> updates = new HashMap<>();
            topics.forEach(t -> updates.put(t, configs));
            admin.alterConfigs(updates);
        }
    }

    /** Deletes the selected topics; prints nothing, as Kafka's tool. */
    void delete(String topicOption, boolean ifExists) {
        List<String> topics = existing(topicOption, ifExists);
        if (!topics.isEmpty()) {
            admin.deleteTopics(topics);
        }
    }

    /** The selected topics, failing when a --topic was given, matched nothing, and --if-exists is absent. */
    private List<String> existing(String topicOption, boolean ifExists) {
        List<String> topics = matching(topicOption);
        if (topics.isEmpty() && topicOption != null && !topicOption.isEmpty() && !ifExists) {
            throw new CliException("Topic '" + topicOption + "' does not exist as expected");
        }
        return topics;
    }

    /** Sorted names of the topics the --topic regex selects (all topics without one). */
    private List<String> matching(String topicOption) {
        TopicFilter filter = TopicFilter.of(topicOption);
        Map<String, Boolean> all = admin.listTopics(!excludeInternal);
        List<String> selected = new ArrayList<>();
        all.forEach((name, internal) -> {
            if (filter.allows(name, internal || Topic.isInternal(name), excludeInternal)) {
                selected.add(name);
            }
        });
        selected.sort(null);
        return selected;
    }
}
