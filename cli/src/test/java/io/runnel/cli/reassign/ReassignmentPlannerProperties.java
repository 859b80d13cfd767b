package io.runnel.cli.reassign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.TopicPartition;

/** The plans of --add-broker, --remove-broker and --generate, on random clusters. */
class ReassignmentPlannerProperties {

    /** {@code partitions} partitions of RF {@code rf} placed at random on brokers 1..brokers. */
    private static Map<TopicPartition, List<Integer>> randomCluster(int brokers, int partitions, int rf, long seed) {
        Random random = new Random(seed);
        Map<TopicPartition, List<Integer>> out = new LinkedHashMap<>();
        for (int p = 0; p < partitions; p++) {
            List<Integer> all = new ArrayList<>();
            for (int b = 1; b <= brokers; b++) {
                all.add(b);
            }
            java.util.Collections.shuffle(all, random);
            out.put(new TopicPartition(p % 2 == 0 ? "a" : "b", p / 2), List.copyOf(all.subList(0, rf)));
        }
        return out;
    }

    private static Set<Integer> ids(int from, int to) {
        Set<Integer> s = new TreeSet<>();
        for (int b = from; b <= to; b++) {
            s.add(b);
        }
        return s;
    }

    private static void assertValid(Map<TopicPartition, List<Integer>> before, Map<TopicPartition, List<Integer>> plan,
                                    Set<Integer> brokers) {
        plan.forEach((tp, r) -> {
            assertEquals(before.get(tp).size(), r.size(), tp + " keeps its replication factor");
            assertEquals(r.size(), new HashSet<>(r).size(), tp + " has distinct replicas " + r);
            assertTrue(brokers.containsAll(r), tp + " " + r + " only on " + brokers);
            assertFalse(r.equals(before.get(tp)), "only partitions that change are listed");
        });
    }

    @Property
    void addBrokerOnlyMovesReplicasOntoTheNewBrokerAndGivesItItsShare(
            @ForAll @IntRange(min = 1, max = 6) int brokers, @ForAll @IntRange(min = 1, max = 40) int partitions,
            @ForAll @IntRange(min = 1, max = 3) int rf, @ForAll long seed) {
        int replication = Math.min(rf, brokers);
        Map<TopicPartition, List<Integer>> before = randomCluster(brokers, partitions, replication, seed);
        int fresh = brokers + 1;
        Set<Integer> all = ids(1, fresh);
        Map<TopicPartition, List<Integer>> plan = ReassignmentPlanner.addBroker(before, fresh, all);
        assertValid(before, plan, all);
        Map<Integer, Integer> load = new HashMap<>();
        before.forEach((tp, r) -> plan.getOrDefault(tp, r).forEach(b -> load.merge(b, 1, Integer::sum)));
        for (var e : plan.entrySet()) {
            Set<Integer> added = new HashSet<>(e.getValue());
            added.removeAll(before.get(e.getKey()));
            assertTrue(added.isEmpty() || added.equals(Set.of(fresh)), "only the new broker is added: " + added);
        }
        int share = partitions * replication / fresh;
        int got = load.getOrDefault(fresh, 0);
        assertTrue(got <= share, "no more than its share: " + got + " > " + share);
    }

    @Example
    void addingAFourthBrokerToABalancedClusterGivesItAQuarterOfReplicasAndLeaders() {
        Map<TopicPartition, List<Integer>> before = new LinkedHashMap<>();
        for (int p = 0; p < 12; p++) {
            before.put(new TopicPartition("t", p), List.of(1 + p % 3, 1 + (p + 1) % 3, 1 + (p + 2) % 3));
        }
        Map<TopicPartition, List<Integer>> plan = ReassignmentPlanner.addBroker(before, 4, Set.of(1, 2, 3, 4));
        Map<Integer, Integer> load = new HashMap<>();
        Map<Integer, Integer> leaders = new HashMap<>();
        before.forEach((tp, r) -> {
            List<Integer> after = plan.getOrDefault(tp, r);
            after.forEach(b -> load.merge(b, 1, Integer::sum));
            leaders.merge(after.get(0), 1, Integer::sum);
        });
        assertEquals(Map.of(1, 9, 2, 9, 3, 9, 4, 9), load);
        assertEquals(Map.of(1, 3, 2, 3, 3, 3, 4, 3), leaders);
        assertEquals(9, plan.values().stream().filter(r -> r.contains(4)).count(), "9 replicas copied, no more");
    }

    @Property
    void removeBrokerEmptiesItOrNamesThePartitionsThatCannotMove(
            @ForAll @IntRange(min = 1, max = 6) int brokers, @ForAll @IntRange(min = 1, max = 40) int partitions,
            @ForAll @IntRange(min = 1, max = 3) int rf, @ForAll long seed) {
        int replication = Math.min(rf, brokers);
        Map<TopicPartition, List<Integer>> before = randomCluster(brokers, partitions, replication, seed);
        Set<Integer> all = ids(1, brokers);
        if (brokers - 1 < replication) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ReassignmentPlanner.removeBroker(before, 1, all));
            assertTrue(e.getMessage().startsWith("cannot remove broker 1: "), e.getMessage());
            before.forEach((tp, r) -> assertEquals(r.contains(1), e.getMessage().contains(tp + " (replicas "),
                    "every stuck partition is named: " + tp));
            return;
        }
        Map<TopicPartition, List<Integer>> plan = ReassignmentPlanner.removeBroker(before, 1, all);
        assertValid(before, plan, all);
        before.forEach((tp, r) -> {
            List<Integer> after = plan.getOrDefault(tp, r);
            assertFalse(after.contains(1), tp + " still on broker 1: " + after);
            assertEquals(r.contains(1), plan.containsKey(tp), "only partitions on broker 1 change");
            if (r.contains(1)) {
                Set<Integer> kept = new HashSet<>(after);
                kept.retainAll(r);
                assertEquals(r.size() - 1, kept.size(), "one replica moves: " + r + " -> " + after);
                if (r.get(0) == 1 && r.size() > 1) {
                    assertEquals(r.get(1), after.get(0), "the next replica, in sync, becomes preferred");
                }
            }
        });
    }

    @Property
    void generateSpreadsEveryPartitionOverDistinctBrokersAndRacks(
            @ForAll @IntRange(min = 1, max = 9) int brokers, @ForAll @IntRange(min = 1, max = 3) int racks,
            @ForAll @IntRange(min = 1, max = 20) int partitions, @ForAll @IntRange(min = 1, max = 3) int rf) {
        int replication = Math.min(rf, brokers);
        Map<TopicPartition, List<Integer>> current = new LinkedHashMap<>();
        for (int p = 0; p < partitions; p++) {
            current.put(new TopicPartition("t", p), List.of(1, 2, 3).subList(0, replication));
        }
        List<Integer> list = new ArrayList<>(ids(1, brokers));
        Map<Integer, String> rackOf = new HashMap<>();
        list.forEach(b -> rackOf.put(b, "r" + (b % racks)));
        Map<TopicPartition, List<Integer>> proposed = ReassignmentPlanner.generate(current, list, rackOf, true);
        assertEquals(current.keySet(), proposed.keySet());
        int rackCount = (int) rackOf.values().stream().distinct().count();
        proposed.forEach((tp, r) -> {
            assertEquals(replication, new HashSet<>(r).size());
            long distinctRacks = r.stream().map(rackOf::get).distinct().count();
            assertEquals(Math.min(replication, rackCount), distinctRacks, tp + " " + r + " racks " + rackOf);
        });
    }

    @Example
    void generateRefusesWhatKafkaRefuses() {
        Map<TopicPartition, List<Integer>> current = Map.of(new TopicPartition("t", 0), List.of(1, 2, 3));
        assertEquals("Replication factor: 3 larger than available brokers: 2.", assertThrows(
                IllegalArgumentException.class, () -> ReassignmentPlanner.generate(current, List.of(1, 2), Map.of(),
                        true)).getMessage());
        IllegalArgumentException partial = assertThrows(IllegalArgumentException.class,
                () -> ReassignmentPlanner.generate(current, List.of(1, 2, 3), Map.of(1, "a"), true));
        assertTrue(partial.getMessage().startsWith("Not all brokers have rack information."));
        assertEquals(3, ReassignmentPlanner.generate(current, List.of(1, 2, 3), Map.of(1, "a"), false)
                .get(new TopicPartition("t", 0)).size(), "--disable-rack-aware ignores racks");
    }
}
