package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerFixtures.apply;
import static io.runnel.metadata.controller.ControllerFixtures.brokers;
import static io.runnel.metadata.controller.ControllerFixtures.sequentialIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Replica placement: distinct replicas on live brokers, leaders and replicas balanced within one per broker. */
class PlacementProperties {
    @Property(tries = 300)
    void placementIsValidAndBalanced(@ForAll @IntRange(min = 1, max = 9) int live,
                                     @ForAll @IntRange(min = 0, max = 2) int fenced,
                                     @ForAll @IntRange(min = 1, max = 60) int partitions,
                                     @ForAll @IntRange(min = 1, max = 9) int rf,
                                     @ForAll @IntRange(min = 1, max = 3) int topics) {
        if (rf > live) {
            return;
        }
        MetadataImage image = brokers(live, fenced);
        for (int t = 0; t < topics; t++) {
            image = apply(image, TopicCreation.createTopics(image, List.of(CreatableTopic.of("t" + t, partitions,
                    rf)), 1, (short) 1, sequentialIds(), false).records());
        }
        Map<Integer, Integer> leaders = new TreeMap<>();
        Map<Integer, Integer> replicas = new TreeMap<>();
        for (int b = 1; b <= live; b++) {
            leaders.put(b, 0);
            replicas.put(b, 0);
        }
        for (TopicImage t : image.topicsById().values()) {
            for (PartitionRegistration p : t.partitions().values()) {
                assertEquals(rf, new HashSet<>(p.replicas()).size());
                assertTrue(leaders.containsKey(p.leader()), "leader on a live broker");
                leaders.merge(p.leader(), 1, Integer::sum);
                p.replicas().forEach(r -> {
                    assertTrue(replicas.containsKey(r), "replica on a live broker");
                    replicas.merge(r, 1, Integer::sum);
                });
            }
        }
        assertTrue(spread(leaders) <= 1, "leaders " + leaders);
        assertTrue(spread(replicas) <= 1, "replicas " + replicas);
    }

    private static int spread(Map<Integer, Integer> counts) {
        return counts.values().stream().mapToInt(i -> i).max().orElse(0)
                - counts.values().stream().mapToInt(i -> i).min().orElse(0);
    }
}
