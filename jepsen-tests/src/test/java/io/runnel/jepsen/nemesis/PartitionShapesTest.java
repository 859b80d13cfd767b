package io.runnel.jepsen.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PartitionShapesTest {

    private static void assertSymmetric(Map<Integer, Set<Integer>> g) {
        g.forEach((a, drops) -> drops.forEach(b -> assertTrue(g.get(b).contains(a), a + " drops " + b + " only")));
        g.forEach((a, drops) -> assertTrue(!drops.contains(a), a + " drops itself"));
    }

    /** How many nodes {@code node} still reaches, itself included. */
    private static int sees(Map<Integer, Set<Integer>> g, int node, int size) {
        return size - g.get(node).size();
    }

    @Test
    void isolateCutsOneNodeFromEveryOther() {
        var g = PartitionShapes.isolate(3, 5);
        assertEquals(Set.of(1, 2, 4, 5), g.get(3));
        for (int id : new int[] {1, 2, 4, 5}) {
            assertEquals(Set.of(3), g.get(id));
        }
        assertSymmetric(g);
    }

    @Test
    void bridgeNodeSeesBothHalvesWhichDoNotSeeEachOther() {
        var g = PartitionShapes.bridge(5, new Random(7));
        long bridges = g.values().stream().filter(Set::isEmpty).count();
        assertEquals(1, bridges);
        g.forEach((node, drops) -> {
            if (!drops.isEmpty()) {
                assertEquals(2, drops.size(), "n" + node + " drops the other half");
            }
        });
        assertSymmetric(g);
    }

    @Test
    void ringOfFiveGivesEveryNodeItsOwnMajority() {
        var g = PartitionShapes.majoritiesRing(5, new Random(1));
        assertSymmetric(g);
        Set<Set<Integer>> views = new HashSet<>();
        for (int id = 1; id <= 5; id++) {
            assertEquals(3, sees(g, id, 5), "n" + id + " sees a bare majority");
            Set<Integer> view = new HashSet<>(Set.of(1, 2, 3, 4, 5));
            view.removeAll(g.get(id));
            views.add(view);
        }
        assertEquals(5, views.size(), "no two nodes see the same majority");
    }

    @Test
    void ringIsRefusedWhereItCannotBeSymmetric() {
        assertNull(PartitionShapes.majoritiesRing(3, new Random(1)));
        assertNull(PartitionShapes.majoritiesRing(7, new Random(1)));
    }

    @Property(tries = 200)
    void halvesSplitIntoMinorityAndMajority(@ForAll @IntRange(min = 1, max = 4) int half, @ForAll long seed) {
        int size = 2 * half + 1;
        var g = PartitionShapes.halves(size, new Random(seed));
        assertSymmetric(g);
        assertEquals(size, g.size());
        long minority = g.values().stream().filter(d -> d.size() == size - size / 2).count();
        assertEquals(size / 2, minority);
        assertNotEquals(0, minority);
    }
}
