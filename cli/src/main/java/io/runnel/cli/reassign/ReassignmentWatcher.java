package io.runnel.cli.reassign;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows a running reassignment until none of its partitions is reassigning, printing a progress line per sample:
 * bytes copied and left (the adding replicas' log sizes against their leader's, from DescribeLogDirs), the copy rate
 * and an ETA. On a terminal the line is redrawn in place; otherwise one line is printed every
 * {@link #PRINT_EVERY_MS} ms. Interrupting the wait leaves the reassignment running in the cluster.
 */
final class ReassignmentWatcher {
    /** Between two samples, ms. */
    static final long SAMPLE_MS = 1_000;
    /** Between two printed lines when the output is not a terminal, ms. */
    static final long PRINT_EVERY_MS = 5_000;

    private final Admin admin;
    private final Set<TopicPartition> plan;
    private final PrintWriter out;
    private final boolean terminal;
    /** (partition, adding broker) -> bytes it had to copy when first seen. */
    private final Map<String, Long> firstSize = new HashMap<>();
    private boolean sizesKnown = true;
    private long lastCopied = -1;
    private long lastNanos;
    private double rate;

    ReassignmentWatcher(Admin admin, Set<TopicPartition> plan, PrintWriter out, boolean terminal) {
        this.admin = admin;
        this.plan = Set.copyOf(plan);
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * Samples until the plan's partitions are done.
     *
     * @throws ExecutionException an Admin call failed (other than DescribeLogDirs, whose failure only hides sizes)
     */
    void await() throws ExecutionException, InterruptedException {
        long lastPrint = 0;
        while (true) {
            CopyProgress p = sample();
            long now = System.nanoTime();
            if (terminal) {
                out.print("\r" + p.line());
            } else if (p.done() || now - lastPrint >= PRINT_EVERY_MS * 1_000_000) {
                out.println(p.line());
                lastPrint = now;
            }
            out.flush();
            if (p.done()) {
                if (terminal) {
                    out.println();
                }
                return;
            }
            Thread.sleep(SAMPLE_MS);
        }
    }

    /** One sample of the plan's progress. */
    CopyProgress sample() throws ExecutionException, InterruptedException {
        Map<TopicPartition, PartitionReassignment> active = admin
                .listPartitionReassignments(plan).reassignments().get();
        long left = 0;
        if (!active.isEmpty() && sizesKnown) {
            try {
                left = leftBytes(active);
            } catch (ExecutionException e) {
                sizesKnown = false;
            }
        }
        long total = firstSize.values().stream().mapToLong(Long::longValue).sum();
        long copied = Math.max(0, total - left);
        long now = System.nanoTime();
        if (lastCopied >= 0 && now > lastNanos) {
            double instant = (copied - lastCopied) / ((now - lastNanos) / 1e9);
            rate = rate == 0 ? instant : 0.7 * rate + 0.3 * Math.max(0, instant);
        }
        lastCopied = copied;
        lastNanos = now;
        return new CopyProgress(sizesKnown ? total : -1, left, rate, plan.size() - active.size(), plan.size());
    }

    private long leftBytes(Map<TopicPartition, PartitionReassignment> active)
            throws ExecutionException, InterruptedException {
        Set<String> topics = new HashSet<>();
        Set<Integer> brokers = new HashSet<>();
        active.forEach((tp, r) -> {
            topics.add(tp.topic());
            brokers.addAll(r.replicas());
        });
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
        Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(brokers).allDescriptions().get();
        long left = 0;
        for (Map.Entry<TopicPartition, PartitionReassignment> e : active.entrySet()) {
            TopicPartition tp = e.getKey();
            Node leader = described.get(tp.topic()).partitions().get(tp.partition()).leader();
            long leaderSize = leader == null ? 0 : size(dirs, leader.id(), tp);
            List<Integer> adding = e.getValue().addingReplicas();
            for (int a : adding) {
                long lacking = Math.max(0, leaderSize - size(dirs, a, tp));
                firstSize.putIfAbsent(tp + "@" + a, lacking);
                left += lacking;
            }
        }
        return left;
    }

    private static long size(Map<Integer, Map<String, LogDirDescription>> dirs, int broker, TopicPartition tp) {
        long size = 0;
        for (LogDirDescription d : dirs.getOrDefault(broker, Map.of()).values()) {
            ReplicaInfo info = d.replicaInfos().get(tp);
            if (info != null) {
                size += info.size();
            }
        }
        return size;
    }
}
