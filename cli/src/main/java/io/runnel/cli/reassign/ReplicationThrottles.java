package io.runnel.cli.reassign;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The replication throttles of a reassignment, set and cleared with Kafka's config keys (KIP-73), as
 * {@code kafka-reassign-partitions.sh --throttle} does: on every broker of the moving partitions
 * {@code leader.replication.throttled.rate} and {@code follower.replication.throttled.rate} (bytes/s), and per topic
 * {@code leader.replication.throttled.replicas} (the current replicas of its moving partitions, {@code partition:broker}
 * pairs) and {@code follower.replication.throttled.replicas} (the replicas being added). A broker that cannot honour
 * a key refuses it with INVALID_CONFIG, and the reassignment is then not started.
 */
final class ReplicationThrottles {
    static final String LEADER_RATE = "leader.replication.throttled.rate";
    static final String FOLLOWER_RATE = "follower.replication.throttled.rate";
    static final String LEADER_REPLICAS = "leader.replication.throttled.replicas";
    static final String FOLLOWER_REPLICAS = "follower.replication.throttled.replicas";

    private ReplicationThrottles() {
    }

    /**
     * Sets the throttles for moving {@code current} to {@code target}.
     *
     * @param bytesPerSecond the inter-broker rate, bytes/s, at least 0
     */
    static void set(Admin admin, Map<TopicPartition, List<Integer>> current, Map<TopicPartition, List<Integer>> target,
                    long bytesPerSecond) throws ExecutionException, InterruptedException {
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
        for (int broker : brokers(current, target)) {
            ops.put(new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(broker)), List.of(
                    set(LEADER_RATE, String.valueOf(bytesPerSecond)),
                    set(FOLLOWER_RATE, String.valueOf(bytesPerSecond))));
        }
        Map<String, List<String>> leaders = new TreeMap<>();
        Map<String, List<String>> followers = new TreeMap<>();
        for (TopicPartition tp : PlanTable.sorted(target.keySet())) {
            List<Integer> from = current.get(tp);
            for (int b : from) {
                leaders.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition() + ":" + b);
            }
            for (int b : target.get(tp)) {
                if (!from.contains(b)) {
                    followers.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition() + ":" + b);
                }
            }
        }
        for (String topic : leaders.keySet()) {
            ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(
                    set(LEADER_REPLICAS, String.join(",", leaders.get(topic))),
                    set(FOLLOWER_REPLICAS, String.join(",", followers.getOrDefault(topic, List.of())))));
        }
        admin.incrementalAlterConfigs(ops).all().get();
    }

    /** Clears every throttle key on {@code brokers} and {@code topics}, printing Kafka's two lines first. */
    static void clear(Admin admin, Collection<Integer> brokers, Collection<String> topics, PrintWriter out)
            throws ExecutionException, InterruptedException {
        TreeSet<Integer> b = new TreeSet<>(brokers);
        TreeSet<String> t = new TreeSet<>(topics);
        out.printf("Clearing broker-level throttles on broker%s %s%n", b.size() == 1 ? "" : "s", PlanTable.ids(b));
        out.printf("Clearing topic-level throttles on topic%s %s%n", t.size() == 1 ? "" : "s", String.join(",", t));
        out.flush();
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
        for (int broker : b) {
            ops.put(new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(broker)),
                    List.of(delete(LEADER_RATE), delete(FOLLOWER_RATE)));
        }
        for (String topic : t) {
            ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    List.of(delete(LEADER_REPLICAS), delete(FOLLOWER_REPLICAS)));
        }
        admin.incrementalAlterConfigs(ops).all().get();
    }

    /** The brokers of the moving partitions, current and target. */
    static TreeSet<Integer> brokers(Map<TopicPartition, List<Integer>> current,
                                    Map<TopicPartition, List<Integer>> target) {
        TreeSet<Integer> out = new TreeSet<>();
        target.forEach((tp, r) -> {
            out.addAll(r);
            out.addAll(current.getOrDefault(tp, List.of()));
        });
        return out;
    }

    /** The topics of {@code partitions}, sorted. */
    static TreeSet<String> topics(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::topic).collect(Collectors.toCollection(TreeSet::new));
    }

    private static AlterConfigOp set(String key, String value) {
        return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
    }

    private static AlterConfigOp delete(String key) {
        return new AlterConfigOp(new ConfigEntry(key, null), AlterConfigOp.OpType.DELETE);
    }
}
