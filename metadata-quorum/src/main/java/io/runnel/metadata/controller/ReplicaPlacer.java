package io.runnel.metadata.controller;

import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chooses replicas for new partitions over the unfenced brokers, greedily and deterministically: each partition's
 * leader (first replica) is the broker leading the fewest partitions, then holding the fewest replicas, then the
 * lowest id; its followers are the brokers holding the fewest replicas (then lowest id). Load counts include every
 * partition already in the image and those placed earlier in the same call, so leaders and replicas spread across
 * topics. Rack awareness is not implemented yet.
 */
final class ReplicaPlacer {
    private final Map<Integer, int[]> load = new TreeMap<>(); // broker id -> {leaders, replicas}

    /** A placer over the image's unfenced brokers, loaded with the image's current assignment. */
    ReplicaPlacer(MetadataImage image) {
        for (BrokerRegistration b : image.brokers().values()) {
            if (!b.fenced()) {
                load.put(b.id(), new int[2]);
            }
        }
        for (TopicImage t : image.topicsById().values()) {
            for (PartitionRegistration p : t.partitions().values()) {
                int[] leader = load.get(p.replicas().get(0));
                if (leader != null) {
                    leader[0]++;
                }
                for (int r : p.replicas()) {
                    int[] l = load.get(r);
                    if (l != null) {
                        l[1]++;
                    }
                }
            }
        }
    }

    /** Unfenced brokers available for placement. */
    int usableBrokers() {
        return load.size();
    }

    /** Replicas for one new partition, preferred leader first; requires {@code 1 <= rf <= usableBrokers()}. */
    List<Integer> place(int replicationFactor) {
        List<Integer> candidates = new ArrayList<>(load.keySet());
        candidates.sort(Comparator.<Integer>comparingInt(id -> load.get(id)[0])
                .thenComparingInt(id -> load.get(id)[1]).thenComparingInt(id -> id));
        int leader = candidates.get(0);
        candidates.remove(0);
        candidates.sort(Comparator.<Integer>comparingInt(id -> load.get(id)[1]).thenComparingInt(id -> id));
        List<Integer> replicas = new ArrayList<>();
        replicas.add(leader);
        replicas.addAll(candidates.subList(0, replicationFactor - 1));
        load.get(leader)[0]++;
        replicas.forEach(id -> load.get(id)[1]++);
        return List.copyOf(replicas);
    }
}
