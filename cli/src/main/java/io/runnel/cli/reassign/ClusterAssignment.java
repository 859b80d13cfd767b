package io.runnel.cli.reassign;

import io.runnel.cli.CliException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What the reassignment command reads from the cluster: the registered brokers (with racks) and the current replica
 * lists of topics, both through the Admin client (DescribeCluster, Metadata).
 */
final class ClusterAssignment {
    private ClusterAssignment() {
    }

    /** Registered broker id -> rack ({@code null} when it has none), sorted by id. */
    static Map<Integer, String> brokers(Admin admin) throws ExecutionException, InterruptedException {
        Map<Integer, String> out = new TreeMap<>();
        for (Node n : admin.describeCluster().nodes().get()) {
            out.put(n.id(), n.rack());
        }
        return out;
    }

    /** The current replicas of every partition of every topic (internal topics excluded). */
    static Map<TopicPartition, List<Integer>> all(Admin admin) throws ExecutionException, InterruptedException {
        return ofTopics(admin, admin.listTopics().names().get());
    }

    /**
     * The current replicas of every partition of {@code topics}.
     *
     * @throws CliException naming a topic that does not exist
     */
    static Map<TopicPartition, List<Integer>> ofTopics(Admin admin, Collection<String> topics)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, List<Integer>> out = new LinkedHashMap<>();
        if (topics.isEmpty()) {
            return out;
        }
        Map<String, TopicDescription> described;
        try {
            described = admin.describeTopics(topics).allTopicNames().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new CliException("Topic(s) not found: " + e.getCause().getMessage(), e);
            }
            throw e;
        }
        for (TopicDescription d : described.values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                List<Integer> replicas = new ArrayList<>();
                p.replicas().forEach(n -> replicas.add(n.id()));
                out.put(new TopicPartition(d.name(), p.partition()), replicas);
            }
        }
        return out;
    }

    /**
     * The current replicas of {@code partitions}.
     *
     * @throws CliException naming a topic or partition that does not exist
     */
    static Map<TopicPartition, List<Integer>> of(Admin admin, Collection<TopicPartition> partitions)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, List<Integer>> all = ofTopics(admin,
                partitions.stream().map(TopicPartition::topic).distinct().toList());
        Map<TopicPartition, List<Integer>> out = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            List<Integer> replicas = all.get(tp);
            if (replicas == null) {
                throw new CliException("Unable to find partition: " + tp);
            }
            out.put(tp, replicas);
        }
        return out;
    }
}
