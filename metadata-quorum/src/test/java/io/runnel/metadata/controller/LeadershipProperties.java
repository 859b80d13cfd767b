package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerFixtures.apply;
import static io.runnel.metadata.controller.ControllerFixtures.brokers;
import static io.runnel.metadata.controller.ControllerFixtures.sequentialIds;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Brokers failing and returning in any order: leaders are always alive ISR members (or -1), ISRs never empty, an
 * offline partition has no alive candidate, and without unclean election a new leader always comes from the ISR.
 */
class LeadershipProperties {
    @Property(tries = 300)
    void electionsKeepTheInvariants(@ForAll @Size(min = 1, max = 30) List<@IntRange(min = 1, max = 5) Integer> events,
                                    @ForAll @IntRange(min = 1, max = 3) int rf, @ForAll boolean unclean) {
        MetadataImage image = brokers(5, 0);
        image = apply(image, TopicCreation.createTopics(image, List.of(CreatableTopic.of("a", 8, rf),
                CreatableTopic.of("b", 3, Math.min(rf + 1, 3))), 1, (short) 1, sequentialIds(), false).records());
        for (int broker : events) {
            BrokerRegistration b = image.brokers().get(broker);
            List<io.runnel.metadata.record.MetadataRecord> records = b.fenced()
                    ? BrokerLifecycle.unfence(image, broker, Set.of(), unclean)
                    : BrokerLifecycle.fence(image, broker, Set.of(), unclean);
            MetadataImage next = apply(image, records); // replay accepts every generated batch
            check(image, next, unclean);
            image = next;
        }
    }

    private static void check(MetadataImage before, MetadataImage after, boolean unclean) {
        IntPredicate alive = PartitionLeadership.alive(after, Set.of());
        for (TopicImage t : after.topicsById().values()) {
            t.partitions().forEach((id, p) -> {
                PartitionRegistration old = before.topicsById().get(t.id()).partition(id);
                assertFalse(p.isr().isEmpty(), p.toString());
                assertTrue(p.replicas().containsAll(p.isr()), p.toString());
                if (p.leader() == PartitionRegistration.NO_LEADER) {
                    List<Integer> candidates = unclean ? p.replicas() : p.isr();
                    assertTrue(candidates.stream().noneMatch(alive::test), "offline with a candidate: " + p);
                } else {
                    assertTrue(alive.test(p.leader()) && p.isr().contains(p.leader()), p.toString());
                    if (!unclean && p.leader() != old.leader()) {
                        assertTrue(old.isr().contains(p.leader()), "leader from outside the ISR: " + old + " -> " + p);
                    }
                }
            });
        }
    }
}
