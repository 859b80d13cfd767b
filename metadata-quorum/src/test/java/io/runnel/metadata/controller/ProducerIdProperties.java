package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerFixtures.apply;
import static io.runnel.metadata.controller.ControllerFixtures.brokers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.errors.MetadataReplayException;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.rpc.AllocateProducerIdsRequest;
import io.runnel.metadata.rpc.AllocateProducerIdsResponse;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Producer-id blocks never overlap, across brokers, even when allocations are decided against stale images: every
 * allocation the log accepts hands out ids no other accepted allocation handed out.
 */
class ProducerIdProperties {
    @Property(tries = 200)
    void acceptedBlocksAreDisjoint(@ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 4) Integer> who,
                                   @ForAll @Size(min = 40, max = 40) List<@IntRange(max = 3) Integer> staleness) {
        MetadataImage image = brokers(4, 0);
        List<MetadataImage> history = new java.util.ArrayList<>(List.of(image));
        TreeMap<Long, Integer> blocks = new TreeMap<>();
        for (int i = 0; i < who.size(); i++) {
            // decide against an image up to 3 entries old (a racing writer), then replay onto the newest one
            MetadataImage decidedOn = history.get(Math.max(0, history.size() - 1 - staleness.get(i)));
            int broker = who.get(i);
            ControllerResult<AllocateProducerIdsResponse> r = ProducerIdAllocation.allocate(decidedOn,
                    AllocateProducerIdsRequest.newBuilder().setBrokerId(broker).setBrokerEpoch(broker).build());
            assertEquals(0, r.response().getErrorCode());
            try {
                image = apply(image, r.records());
            } catch (MetadataReplayException rejected) {
                continue; // replay re-checks: a stale block is refused, never handed out twice
            }
            history.add(image);
            assertTrue(blocks.put(r.response().getProducerIdStart(), r.response().getProducerIdLen()) == null);
        }
        long end = Long.MIN_VALUE;
        for (var e : blocks.entrySet()) {
            assertTrue(e.getKey() >= end, "overlap at " + e.getKey());
            end = e.getKey() + e.getValue();
        }
    }

    @Property(tries = 50)
    void staleEpochsGetNoBlock(@ForAll @IntRange(min = 1, max = 4) int broker, @ForAll long epoch) {
        if (epoch == broker) {
            return;
        }
        ControllerResult<AllocateProducerIdsResponse> r = ProducerIdAllocation.allocate(brokers(4, 0),
                AllocateProducerIdsRequest.newBuilder().setBrokerId(broker).setBrokerEpoch(epoch).build());
        assertTrue(r.records().isEmpty());
        assertTrue(r.response().getErrorCode() != 0);
    }
}
