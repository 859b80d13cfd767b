package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerFixtures.apply;
import static io.runnel.metadata.controller.ControllerFixtures.racked;
import static io.runnel.metadata.controller.ControllerFixtures.sequentialIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Rack-aware placement (KIP-36): for random broker/rack layouts, every partition's replicas are distinct registered
 * live brokers on {@code min(RF, racks)} distinct racks (brokers without a rack count as one rack), and leaders stay
 * balanced within one per broker.
 */
class RackPlacementProperties {
    @Provide
    Arbitrary<List<String>> layouts() {
        // racks a..d, or null for a broker without broker.rack; 1..9 live brokers
        return Arbitraries.of("a", "b", "c", "d", null).list().ofMinSize(1).ofMaxSize(9);
    }

    @Property(tries = 300)
    void replicasSpreadOverRacks(@ForAll("layouts") List<String> layout,
                                 @ForAll @IntRange(min = 0, max = 2) int fenced,
                                 @ForAll @IntRange(min = 1, max = 40) int partitions,
                                 @ForAll @IntRange(min = 1, max = 9) int rf,
                                 @ForAll @IntRange(min = 1, max = 3) int topics) {
        if (rf > layout.size()) {
            return;
        }
        MetadataImage image = racked(layout, fenced);
        for (int t = 0; t < topics; t++) {
            image = apply(image, TopicCreation.createTopics(image, List.of(CreatableTopic.of("t" + t, partitions,
                    rf)), 1, (short) 1, sequentialIds(), false).records());
        }
        int racks = new HashSet<>(layout).size();
        Map<Integer, Integer> leaders = new TreeMap<>();
        for (int b = 1; b <= layout.size(); b++) {
            leaders.put(b, 0);
        }
        for (TopicImage t : image.topicsById().values()) {
            for (PartitionRegistration p : t.partitions().values()) {
                assertEquals(rf, new HashSet<>(p.replicas()).size(), "distinct replicas " + p.replicas());
                Set<Optional<String>> used = new HashSet<>();
                for (int r : p.replicas()) {
                    BrokerRegistration b = image.brokers().get(r);
                    assertTrue(b != null && !b.fenced(), "replica " + r + " on a registered live broker");
                    used.add(Optional.ofNullable(b.rack()));
                }
                assertEquals(Math.min(rf, racks), used.size(), "racks of " + p.replicas() + " in " + layout);
                leaders.merge(p.leader(), 1, Integer::sum);
            }
        }
        int max = leaders.values().stream().mapToInt(i -> i).max().orElse(0);
        int min = leaders.values().stream().mapToInt(i -> i).min().orElse(0);
        assertTrue(max - min <= 1, "leaders " + leaders);
    }

    @Test
    void threeRacksOfTwoGiveEachPartitionEveryRack() {
        MetadataImage image = racked(List.of("x", "y", "z", "x", "y", "z"), 0);
        image = apply(image, TopicCreation.createTopics(image, List.of(CreatableTopic.of("t", 6, 3)), 1, (short) 1,
                sequentialIds(), false).records());
        List<Integer> leaders = new ArrayList<>();
        for (PartitionRegistration p : image.topicsByName().get("t").partitions().values()) {
            Set<String> racks = new HashSet<>();
            for (int r : p.replicas()) {
                racks.add(image.brokers().get(r).rack());
            }
            assertEquals(Set.of("x", "y", "z"), racks, p.replicas().toString());
            leaders.add(p.leader());
        }
        assertEquals(6, new HashSet<>(leaders).size(), "each broker leads one partition: " + leaders);
    }
}
