package io.runnel.metadata.controller;

import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Chooses replicas for new partitions over the unfenced brokers, greedily and deterministically, rack-aware as
 * KIP-36 asks: each partition's leader (first replica) is the broker leading the fewest partitions, then holding the
 * fewest replicas, then the lowest id; each further replica is the broker whose rack holds the fewest of this
 * partition's replicas so far, then holding the fewest replicas, then the lowest id. So a partition's replicas lie
 * on {@code min(replication factor, racks)} distinct racks, round-robin over the racks, while leaders and replicas
 * spread evenly over the brokers. Load counts include every partition already in the image and those placed (or
 * {@linkplain #account accounted}) earlier in the same call, so leaders and replicas spread across topics.
 *
 * <p>Brokers without {@code broker.rack} count as one rack of their own. This is what Kafka's KRaft controller does
 * (its StripedReplicaPlacer groups rackless brokers under an empty rack): since ZooKeeper's removal Kafka no longer
 * refuses CreateTopics or CreatePartitions when only some brokers have a rack; only {@code kafka-reassign-partitions
 * --generate} still refuses then, unless given {@code --disable-rack-aware}. Without any rack, placement is the
 * same as before racks were known.
 */
final class ReplicaPlacer {
    private final Map<Integer, int[]> load = new TreeMap<>(); // broker id -> {leaders, replicas}
    private final Map<Integer, Optional<String>> racks = new HashMap<>();

    /** A placer over the image's unfenced brokers, loaded with the image's current assignment. */
    ReplicaPlacer(MetadataImage image) {
        for (BrokerRegistration b : image.brokers().values()) {
            if (!b.fenced()) {
                load.put(b.id(), new int[2]);
                racks.put(b.id(), Optional.ofNullable(b.rack()));
            }
        }
        for (TopicImage t : image.topicsById().values()) {
            for (PartitionRegistration p : t.partitions().values()) {
                account(p.replicas());
            }
        }
    }

    /** Unfenced brokers available for placement. */
    int usableBrokers() {
        return load.size();
    }

    /**
     * Counts a partition placed elsewhere (e.g. by hand) in the load: its first replica as a leader, every replica
     * as a replica; brokers that are not usable are skipped.
     */
    void account(List<Integer> replicas) {
        if (replicas.isEmpty()) {
            return;
        }
        int[] leader = load.get(replicas.get(0));
        if (leader != null) {
            leader[0]++;
        }
        for (int r : replicas) {
            int[] l = load.get(r);
            if (l != null) {
                l[1]++;
            }
        }
    }

    /** Replicas for one new partition, preferred leader first; requires {@code 1 <= rf <= usableBrokers()}. */
    List<Integer> place(int replicationFactor) {
        List<Integer> candidates = new ArrayList<>(load.keySet());
        candidates.sort(Comparator.<Integer>comparingInt(id -> load.get(id)[0])
                .thenComparingInt(id -> load.get(id)[1]).thenComparingInt(id -> id));
        List<Integer> replicas = new ArrayList<>();
        Map<Optional<String>, Integer> perRack = new HashMap<>();
        int leader = candidates.remove(0);
        replicas.add(leader);
        perRack.merge(racks.get(leader), 1, Integer::sum);
        Comparator<Integer> follower = Comparator.<Integer>comparingInt(id -> perRack.getOrDefault(racks.get(id), 0))
                .thenComparingInt(id -> load.get(id)[1]).thenComparingInt(id -> id);
        while (replicas.size() < replicationFactor) {
            int next = candidates.stream().min(follower).orElseThrow();
            candidates.remove(Integer.valueOf(next));
            replicas.add(next);
            perRack.merge(racks.get(next), 1, Integer::sum);
        }
        account(replicas);
        return List.copyOf(replicas);
    }
}
