package io.runnel.broker.group;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.UniqueElements;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Invariants of choosing a group's coordinator among the live brokers. */
class CoordinatorPlacementProperties {

    @Property
    void theCoordinatorIsALiveBrokerAndEveryNodeAgrees(@ForAll @Size(min = 1, max = 9) @UniqueElements
                                                       List<@IntRange(min = 0, max = 1000) Integer> brokers,
                                                       @ForAll @StringLength(max = 40) String group) {
        int[] ids = brokers.stream().mapToInt(Integer::intValue).toArray();
        OptionalInt c = CoordinatorPlacement.over(ids).coordinator(group);
        assertTrue(c.isPresent());
        assertTrue(brokers.contains(c.getAsInt()));
        List<Integer> copy = new java.util.ArrayList<>(brokers);
        java.util.Collections.reverse(copy);
        int[] reversed = copy.stream().mapToInt(Integer::intValue).toArray();
        assertEquals(c, CoordinatorPlacement.over(reversed).coordinator(group), "independent of listing order");
    }

    @Property
    void losingABrokerMovesOnlyItsOwnGroups(@ForAll @Size(min = 2, max = 9) @UniqueElements
                                            List<@IntRange(min = 0, max = 1000) Integer> brokers,
                                            @ForAll @Size(min = 1, max = 30)
                                            List<@StringLength(max = 20) String> groups,
                                            @ForAll @IntRange(min = 0, max = 8) int lostIndex) {
        int lost = brokers.get(lostIndex % brokers.size());
        CoordinatorPlacement before = CoordinatorPlacement.over(brokers.stream().mapToInt(Integer::intValue)
                .toArray());
        CoordinatorPlacement after = CoordinatorPlacement.over(brokers.stream().filter(b -> b != lost)
                .mapToInt(Integer::intValue).toArray());
        for (String g : groups) {
            int was = before.coordinator(g).getAsInt();
            int now = after.coordinator(g).getAsInt();
            assertNotEquals(lost, now);
            if (was != lost) {
                assertEquals(was, now, g + " moved although its coordinator " + was + " is alive");
            }
        }
    }

    @Property
    void noLiveBrokerNoCoordinator(@ForAll String group) {
        assertFalse(CoordinatorPlacement.over().coordinator(group).isPresent());
    }

    @Property(tries = 20)
    void groupsSpreadOverBrokers(@ForAll @IntRange(min = 2, max = 5) int brokers) {
        int[] ids = java.util.stream.IntStream.rangeClosed(1, brokers).toArray();
        int[] counts = new int[brokers + 1];
        CoordinatorPlacement p = CoordinatorPlacement.over(ids);
        for (int i = 0; i < 1000; i++) {
            counts[p.coordinator("group-" + i).getAsInt()]++;
        }
        int expected = 1000 / brokers;
        assertTrue(Arrays.stream(counts, 1, brokers + 1).allMatch(c -> c > expected / 2),
                "uneven: " + Arrays.toString(counts));
    }
}
