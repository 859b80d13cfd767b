package io.runnel.cli.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;

/**
 * An in-memory cluster of one broker (id 1) behind {@link TopicAdmin}, answering as a Kafka broker would: topics get
 * a topic id, partitions led by broker 1 with replicas 1..RF (brokers 2.. are not alive unless added), configs
 * report {@code segment.bytes} as a static broker setting besides the topic's overrides. A failure to inject makes
 * every call throw it. Records what it was asked to do.
 */
final class FakeTopicAdmin implements TopicAdmin {

    private static final Node BROKER_1 = new Node(1, "localhost", 9092);

    /** One stored topic. */
    record Stored(Uuid id, boolean internal, List<TopicPartitionInfo> partitions, Map<String, String> configs) {}

    final Map<String, Stored> topics = new TreeMap<>();
    final List<String> calls = new ArrayList<>();
    Properties openedWith;
    RuntimeException failure;
    boolean closed;

    /** Adds a topic whose every partition has replicas 1..rf, leader 1, and the given ISR size. */
    FakeTopicAdmin add(String name, int partitions, int rf, int isrSize, Map<String, String> configs) {
        List<TopicPartitionInfo> infos = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            List<Node> replicas = nodes(rf);
            infos.add(new TopicPartitionInfo(p, BROKER_1, replicas, replicas.subList(0, isrSize)));
        }
        topics.put(name, new Stored(Uuid.randomUuid(), Topic.isInternal(name), infos, new LinkedHashMap<>(configs)));
        return this;
    }

    /** Replaces one partition's info (e.g. to give it no leader). */
    void setPartition(String topic, TopicPartitionInfo info) {
        topics.get(topic).partitions().set(info.partition(), info);
    }

    @Override
    public Map<String, Boolean> listTopics(boolean includeInternal) {
        call("listTopics " + includeInternal);
        Map<String, Boolean> names = new HashMap<>();
        topics.forEach((name, t) -> {
            if (includeInternal || !t.internal()) {
                names.put(name, t.internal());
            }
        });
        return names;
    }

    @Override
    public Map<String, TopicDescription> describeTopics(Collection<String> names) {
        call("describeTopics " + new ArrayList<>(names));
        Map<String, TopicDescription> out = new HashMap<>();
        for (String name : names) {
            Stored t = existing(name);
            out.put(name, new TopicDescription(name, t.internal(), t.partitions(), Set.of(), t.id()));
        }
        return out;
    }

    @Override
    public Map<String, Config> describeConfigs(Collection<String> names) {
        call("describeConfigs " + new ArrayList<>(names));
        Map<String, Config> out = new HashMap<>();
        for (String name : names) {
            List<ConfigEntry> entries = new ArrayList<>();
            entries.add(entry("cleanup.policy", "delete", ConfigEntry.ConfigSource.DEFAULT_CONFIG));
            existing(name).configs().forEach((k, v) ->
                    entries.add(entry(k, v, ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)));
            entries.add(entry("segment.bytes", "1073741824", ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG));
            out.put(name, new Config(entries));
        }
        return out;
    }

    @Override
    public Set<Integer> liveBrokerIds() {
        call("liveBrokerIds");
        return Set.of(1);
    }

    @Override
    public void createTopic(NewTopic topic) {
        call("createTopic " + topic.name() + " " + topic.numPartitions() + " " + topic.replicationFactor() + " "
                + topic.configs() + (topic.replicasAssignments() == null ? "" : " " + topic.replicasAssignments()));
        if (topics.containsKey(topic.name())) {
            throw new TopicExistsException("Topic '" + topic.name() + "' already exists.");
        }
        int partitions = topic.numPartitions() < 0 ? 1 : topic.numPartitions();
        int rf = topic.replicationFactor() < 0 ? 1 : topic.replicationFactor();
        add(topic.name(), partitions, rf, rf, topic.configs() == null ? Map.of() : topic.configs());
    }

    @Override
    public void createPartitions(Map<String, Integer> totalCounts) {
        call("createPartitions " + new TreeMap<>(totalCounts));
        totalCounts.forEach((name, count) -> {
            Stored t = existing(name);
            if (count <= t.partitions().size()) {
                throw new InvalidPartitionsException("Topic currently has " + t.partitions().size()
                        + " partitions, which is higher than the requested " + count + ".");
            }
            for (int p = t.partitions().size(); p < count; p++) {
                List<Node> replicas = t.partitions().get(0).replicas();
                t.partitions().add(new TopicPartitionInfo(p, BROKER_1, replicas, replicas));
            }
        });
    }

    @Override
    public void createPartitions(Map<String, Integer> totalCounts, Map<String, List<List<Integer>>> assignments) {
        call("createPartitions " + new TreeMap<>(totalCounts) + " " + new TreeMap<>(assignments));
        totalCounts.forEach((name, count) -> {
            Stored t = existing(name);
            List<List<Integer>> lists = assignments.get(name);
            int existing = t.partitions().size();
            for (int p = existing; p < count; p++) {
                List<Node> replicas = lists.get(p - existing).stream().map(FakeTopicAdmin::node).toList();
                t.partitions().add(new TopicPartitionInfo(p, replicas.get(0), replicas, replicas));
            }
        });
    }

    @Override
    public void alterConfigs(Map<String, Map<String, String>> updates) {
        call("alterConfigs " + new TreeMap<>(updates));
        updates.forEach((name, entries) -> existing(name).configs().putAll(entries));
    }

    @Override
    public void deleteTopics(Collection<String> names) {
        call("deleteTopics " + new ArrayList<>(names));
        names.forEach(n -> {
            existing(n);
            topics.remove(n);
        });
    }

    @Override
    public void close() {
        closed = true;
    }

    private void call(String what) {
        calls.add(what);
        if (failure != null) {
            throw failure;
        }
    }

    private Stored existing(String name) {
        Stored t = topics.get(name);
        if (t == null) {
            throw new UnknownTopicOrPartitionException("This server does not host this topic-partition.");
        }
        return t;
    }

    private static List<Node> nodes(int count) {
        List<Node> nodes = new ArrayList<>();
        for (int id = 1; id <= count; id++) {
            nodes.add(node(id));
        }
        return nodes;
    }

    private static Node node(int id) {
        return id == 1 ? BROKER_1 : new Node(id, "localhost", 9091 + id);
    }

    private static ConfigEntry entry(String name, String value, ConfigEntry.ConfigSource source) {
        return new ConfigEntry(name, value, source, false, false, List.of(), ConfigEntry.ConfigType.STRING, null);
    }
}
