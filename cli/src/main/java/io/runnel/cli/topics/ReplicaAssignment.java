package io.runnel.cli.topics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed {@code --replica-assignment} value, Kafka's {@code kafka-topics.sh} format: partitions separated by
 * {@code ,} in partition order (0, 1, ...), each partition's broker ids separated by {@code :}, preferred leader
 * first, blanks around ids ignored; e.g. {@code 1:2,2:3} puts partition 0 on brokers 1 and 2 (led by 1) and
 * partition 1 on 2 and 3. Checked as Kafka's tool checks it: every id an integer, no broker twice in one partition,
 * every partition as many replicas as partition 0. Whether the brokers exist is the broker's check
 * (INVALID_REPLICA_ASSIGNMENT).
 */
record ReplicaAssignment(List<List<Integer>> partitions) {

    ReplicaAssignment {
        partitions = partitions.stream().map(List::copyOf).toList();
    }

    /**
     * @param text the flag's value
     * @throws IllegalArgumentException naming the fault: an empty value or partition, a non-integer id, a broker
     *                                  listed twice in a partition, a partition with a different replica count
     */
    static ReplicaAssignment parse(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("--replica-assignment is empty: give broker ids such as 1:2,2:3");
        }
        List<List<Integer>> partitions = new ArrayList<>();
        String[] parts = text.split(",", -1);
        for (int p = 0; p < parts.length; p++) {
            List<Integer> brokers = new ArrayList<>();
            for (String id : parts[p].split(":", -1)) {
                try {
                    brokers.add(Integer.parseInt(id.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Invalid --replica-assignment '" + text + "': partition " + p
                            + " has '" + id.trim() + "', which is not a broker id");
                }
            }
            Set<Integer> seen = new HashSet<>();
            Set<Integer> twice = new TreeSet<>();
            brokers.forEach(b -> {
                if (!seen.add(b)) {
                    twice.add(b);
                }
            });
            if (!twice.isEmpty()) {
                throw new IllegalArgumentException("Partition replica lists may not contain duplicate entries: "
                        + String.join(",", twice.stream().map(String::valueOf).toList()));
            }
            if (!partitions.isEmpty() && brokers.size() != partitions.get(0).size()) {
                throw new IllegalArgumentException("Partition " + p + " has different replication factor: "
                        + brokers);
            }
            partitions.add(brokers);
        }
        return new ReplicaAssignment(partitions);
    }

    /** Partition id to replicas, in partition order: what {@code NewTopic(name, replicasAssignments)} takes. */
    Map<Integer, List<Integer>> byPartition() {
        Map<Integer, List<Integer>> out = new LinkedHashMap<>();
        for (int p = 0; p < partitions.size(); p++) {
            out.put(p, partitions.get(p));
        }
        return out;
    }

    /** The replica lists of the partitions from {@code existing} on: the new partitions of a topic that has them. */
    List<List<Integer>> from(int existing) {
        return existing >= partitions.size() ? List.of() : partitions.subList(existing, partitions.size());
    }

    int size() {
        return partitions.size();
    }
}
