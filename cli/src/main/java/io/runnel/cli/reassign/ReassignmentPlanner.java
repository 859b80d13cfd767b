package io.runnel.cli.reassign;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Computes reassignment plans from the current assignment alone (no I/O): Kafka's {@code --generate}, and Runnel's
 * {@code --add-broker} / {@code --remove-broker}, which move as few replicas as they can. A replica list's first
 * broker is the partition's preferred leader, as in Kafka. Every plan keeps each partition's replication factor and
 * never puts one broker twice in a partition.
 */
final class ReassignmentPlanner {
    private ReassignmentPlanner() {
    }

    /**
     * Kafka's {@code --generate}: a fresh round-robin placement of every partition of the given topics over
     * {@code brokers}, each partition keeping its replication factor. With racks for every broker (and
     * {@code rackAware}) the brokers are ordered alternately from each rack, and a partition's followers skip brokers
     * of racks it already uses until it uses every rack, so each partition spans min(replication factor, racks)
     * racks (KIP-36). A topic's start broker comes from its name, so the plan is reproducible.
     *
     * @param current   current replicas of every partition of the topics to move
     * @param brokers   the brokers to place replicas on ({@code --broker-list})
     * @param racks     broker id -> rack for the brokers that have one
     * @param rackAware false with {@code --disable-rack-aware}
     * @return the proposed replicas of every partition of {@code current}
     * @throws IllegalArgumentException a replication factor above the broker count; racks on only some brokers
     *                                  while rack-aware (Kafka's messages)
     */
    static Map<TopicPartition, List<Integer>> generate(Map<TopicPartition, List<Integer>> current,
                                                       List<Integer> brokers, Map<Integer, String> racks,
                                                       boolean rackAware) {
        List<Integer> order = brokerOrder(brokers, racks, rackAware);
        int n = order.size();
        long rackCount = order.stream().map(racks::get).filter(java.util.Objects::nonNull).distinct().count();
        Map<TopicPartition, List<Integer>> out = new LinkedHashMap<>();
        for (TopicPartition tp : PlanTable.sorted(current.keySet())) {
            int rf = current.get(tp).size();
            if (rf > n) {
                throw new IllegalArgumentException("Replication factor: " + rf + " larger than available brokers: "
                        + n + ".");
            }
            int first = (Math.floorMod(tp.topic().hashCode(), n) + tp.partition()) % n;
            List<Integer> replicas = new ArrayList<>(rf);
            java.util.Set<String> usedRacks = new java.util.HashSet<>();
            for (int k = 0; k < n && replicas.size() < rf; k++) {
                int b = order.get((first + k) % n);
                String rack = racks.get(b);
                if (rackAware && rack != null && usedRacks.size() < rackCount && usedRacks.contains(rack)) {
                    continue;
                }
                replicas.add(b);
                if (rack != null) {
                    usedRacks.add(rack);
                }
            }
            for (int k = 0; replicas.size() < rf; k++) {
                int b = order.get((first + k) % n);
                if (!replicas.contains(b)) {
                    replicas.add(b);
                }
            }
            out.put(tp, replicas);
        }
        return out;
    }

    /** The brokers in placement order: sorted, or alternating over racks (each rack's brokers sorted). */
    private static List<Integer> brokerOrder(List<Integer> brokers, Map<Integer, String> racks, boolean rackAware) {
        List<Integer> sorted = new ArrayList<>(new TreeSet<>(brokers));
        long withRack = sorted.stream().filter(racks::containsKey).count();
        if (!rackAware || withRack == 0) {
            return sorted;
        }
        if (withRack != sorted.size()) {
            throw new IllegalArgumentException("Not all brokers have rack information. Add --disable-rack-aware in"
                    + " command line to make replica assignment without rack information.");
        }
        Map<String, List<Integer>> byRack = new TreeMap<>();
        for (int b : sorted) {
            byRack.computeIfAbsent(racks.get(b), r -> new ArrayList<>()).add(b);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; out.size() < sorted.size(); i++) {
            for (List<Integer> rack : byRack.values()) {
                if (i < rack.size()) {
                    out.add(rack.get(i));
                }
            }
        }
        return out;
    }

    /**
     * {@code --add-broker N}: moves replicas onto {@code newBroker} until it holds its share (the total replica
     * count divided by the broker count, rounded down), each move taken from the most loaded broker and, among
     * equals, from a partition it does not lead; then makes {@code newBroker} the preferred leader of partitions it
     * now holds until it leads its share, taking them from the brokers that lead the most.
     *
     * @param current   the current replicas of every partition
     * @param newBroker the broker to fill
     * @param brokers   every broker that may hold replicas, {@code newBroker} included
     * @return the new replicas of the partitions that change only
     */
    static Map<TopicPartition, List<Integer>> addBroker(Map<TopicPartition, List<Integer>> current, int newBroker,
                                                        Collection<Integer> brokers) {
        Map<TopicPartition, List<Integer>> plan = copy(current);
        Map<Integer, Integer> load = load(plan, brokers);
        load.putIfAbsent(newBroker, 0);
        int total = load.values().stream().mapToInt(Integer::intValue).sum();
        int share = total / load.size();
        while (load.get(newBroker) < share) {
            TopicPartition bestTp = null;
            int bestIndex = -1;
            for (Map.Entry<TopicPartition, List<Integer>> e : plan.entrySet()) {
                List<Integer> replicas = e.getValue();
                if (replicas.contains(newBroker)) {
                    continue;
                }
                for (int i = 0; i < replicas.size(); i++) {
                    if (bestTp == null || better(load, replicas, i, plan.get(bestTp), bestIndex)) {
                        bestTp = e.getKey();
                        bestIndex = i;
                    }
                }
            }
            if (bestTp == null || load.get(plan.get(bestTp).get(bestIndex)) <= load.get(newBroker) + 1) {
                break;
            }
            int donor = plan.get(bestTp).set(bestIndex, newBroker);
            load.merge(donor, -1, Integer::sum);
            load.merge(newBroker, 1, Integer::sum);
        }
        balanceLeaders(plan, newBroker, load.size());
        return changed(current, plan);
    }

    /** Whether taking replica {@code i} of {@code replicas} beats the current best: a more loaded donor, or a follower. */
    private static boolean better(Map<Integer, Integer> load, List<Integer> replicas, int i,
                                  List<Integer> bestReplicas, int bestIndex) {
        int l = load.getOrDefault(replicas.get(i), 0);
        int bestLoad = load.getOrDefault(bestReplicas.get(bestIndex), 0);
        if (l != bestLoad) {
            return l > bestLoad;
        }
        return bestIndex == 0 && i > 0;
    }

    private static void balanceLeaders(Map<TopicPartition, List<Integer>> plan, int broker, int brokerCount) {
        Map<Integer, Integer> leaders = new HashMap<>();
        plan.values().forEach(r -> leaders.merge(r.get(0), 1, Integer::sum));
        int share = plan.size() / brokerCount;
        while (leaders.getOrDefault(broker, 0) < share) {
            List<Integer> best = null;
            for (List<Integer> replicas : plan.values()) {
                int leader = replicas.get(0);
                if (leader != broker && replicas.contains(broker)
                        && (best == null || leaders.get(leader) > leaders.get(best.get(0)))) {
                    best = replicas;
                }
            }
            if (best == null || leaders.get(best.get(0)) <= leaders.getOrDefault(broker, 0) + 1) {
                return;
            }
            int old = best.get(0);
            int at = best.indexOf(broker);
            best.set(0, broker);
            best.set(at, old);
            leaders.merge(old, -1, Integer::sum);
            leaders.merge(broker, 1, Integer::sum);
        }
    }

    /**
     * {@code --remove-broker N}: gives each replica of {@code broker} to the least loaded other broker that does not
     * already hold that partition. Where {@code broker} was the preferred leader, the next replica (already in sync)
     * becomes preferred and the newcomer goes last.
     *
     * @param current the current replicas of every partition
     * @param broker  the broker to empty
     * @param brokers every broker that may hold replicas ({@code broker} may be among them; it gets none)
     * @return the new replicas of the partitions that change only
     * @throws IllegalArgumentException when some partition would fall below its replication factor, naming every
     *                                  such partition
     */
    static Map<TopicPartition, List<Integer>> removeBroker(Map<TopicPartition, List<Integer>> current, int broker,
                                                           Collection<Integer> brokers) {
        Map<TopicPartition, List<Integer>> plan = copy(current);
        Map<Integer, Integer> load = load(plan, brokers);
        load.remove(broker);
        List<String> stuck = new ArrayList<>();
        for (TopicPartition tp : PlanTable.sorted(plan.keySet())) {
            List<Integer> replicas = plan.get(tp);
            int at = replicas.indexOf(broker);
            if (at < 0) {
                continue;
            }
            Integer target = null;
            for (int b : new TreeSet<>(load.keySet())) {
                if (!replicas.contains(b) && (target == null || load.get(b) < load.get(target))) {
                    target = b;
                }
            }
            if (target == null) {
                stuck.add(tp + " (replicas " + PlanTable.ids(replicas) + ")");
                continue;
            }
            if (at == 0 && replicas.size() > 1) {
                replicas.remove(0);
                replicas.add(target);
            } else {
                replicas.set(at, target);
            }
            load.merge(target, 1, Integer::sum);
        }
        if (!stuck.isEmpty()) {
            throw new IllegalArgumentException("cannot remove broker " + broker + ": " + stuck.size()
                    + " partition(s) would fall below their replication factor, no other broker can take the replica: "
                    + String.join(", ", stuck) + ". Add a broker first, or lower those topics' replication factor.");
        }
        return changed(current, plan);
    }

    private static Map<TopicPartition, List<Integer>> copy(Map<TopicPartition, List<Integer>> current) {
        Map<TopicPartition, List<Integer>> plan = new LinkedHashMap<>();
        for (TopicPartition tp : PlanTable.sorted(current.keySet())) {
            plan.put(tp, new ArrayList<>(current.get(tp)));
        }
        return plan;
    }

    private static Map<Integer, Integer> load(Map<TopicPartition, List<Integer>> plan, Collection<Integer> brokers) {
        Map<Integer, Integer> load = new HashMap<>();
        brokers.forEach(b -> load.put(b, 0));
        plan.values().forEach(r -> r.forEach(b -> load.merge(b, 1, Integer::sum)));
        return load;
    }

    private static Map<TopicPartition, List<Integer>> changed(Map<TopicPartition, List<Integer>> current,
                                                              Map<TopicPartition, List<Integer>> plan) {
        Map<TopicPartition, List<Integer>> out = new LinkedHashMap<>();
        plan.forEach((tp, r) -> {
            if (!r.equals(current.get(tp))) {
                out.put(tp, List.copyOf(r));
            }
        });
        return out;
    }
}
