package io.runnel.metadata.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.record.MetadataRecordBatch;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * For any two images of a random log: every partition of the node whose registration changed is reported exactly
 * once, as leader iff the node leads it; every partition the node stopped hosting is reported as removed.
 */
class LocalReplicaChangesProperties {
    @Property(tries = 200)
    void changesMatchTheTwoImages(@ForAll long seed, @ForAll @IntRange(min = 2, max = 40) int count,
                                  @ForAll @IntRange(max = 39) int a, @ForAll @IntRange(max = 39) int b,
                                  @ForAll @IntRange(min = 0, max = 6) int node) {
        List<MetadataRecordBatch> batches = new RandomBatches(seed).generate("c", count);
        MetadataImage from = ReplayProperties.replay(MetadataImage.empty("c"), batches.subList(0,
                Math.min(a, batches.size())), 0);
        MetadataImage to = ReplayProperties.replay(MetadataImage.empty("c"), batches.subList(0,
                Math.min(b, batches.size())), 0);
        LocalReplicaChanges c = LocalReplicaChanges.compute(from, to, node);
        Set<String> reported = new HashSet<>();
        c.leaders().forEach(l -> {
            assertEquals(node, l.registration().leader());
            assertTrue(reported.add(l.topicId() + "-" + l.partition().partition()));
        });
        c.followers().forEach(f -> {
            assertTrue(f.registration().replicas().contains(node) && f.leaderId() != node);
            assertTrue(reported.add(f.topicId() + "-" + f.partition().partition()));
        });
        for (TopicImage t : to.topicsById().values()) {
            t.partitions().forEach((id, p) -> {
                TopicImage old = from.topicsById().get(t.id());
                boolean changed = old == null || !p.equals(old.partition(id));
                assertEquals(changed && p.replicas().contains(node), reported.contains(t.id() + "-" + id));
            });
        }
        for (LocalReplicaChanges.Removed r : c.removed()) {
            PartitionRegistration was = from.topicsById().get(r.topicId()).partition(r.partition().partition());
            assertTrue(was.replicas().contains(node));
            TopicImage now = to.topicsById().get(r.topicId());
            assertEquals(now == null, r.topicDeleted());
            assertTrue(now == null || !now.partition(r.partition().partition()).replicas().contains(node));
        }
    }
}
