package io.runnel.metadata.controller;

import io.runnel.metadata.image.MetadataDelta;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.MetadataProvenance;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.RegisterBrokerRecord;
import io.runnel.metadata.record.UnfenceBrokerRecord;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

final class ControllerFixtures {
    private ControllerFixtures() {
    }

    /** An image with brokers 1..live unfenced and live+1..live+fenced fenced. */
    static MetadataImage brokers(int live, int fenced) {
        MetadataDelta d = new MetadataDelta(MetadataImage.empty("c"));
        for (int id = 1; id <= live + fenced; id++) {
            d.replay(MetadataRecord.newBuilder().setRegisterBroker(RegisterBrokerRecord.newBuilder().setBrokerId(id)
                    .setIncarnationId(Uuids.toProto(new UUID(0, id))).setBrokerEpoch(id).setFenced(true)).build());
            if (id <= live) {
                d.replay(MetadataRecord.newBuilder().setUnfenceBroker(UnfenceBrokerRecord.newBuilder()
                        .setBrokerId(id).setBrokerEpoch(id)).build());
            }
        }
        return d.apply(new MetadataProvenance(1, 1));
    }

    /**
     * An image with unfenced brokers 1..racks.size(), broker {@code i} in rack {@code racks.get(i - 1)} (null: no
     * rack), and brokers after them fenced.
     */
    static MetadataImage racked(List<String> racks, int fenced) {
        MetadataDelta d = new MetadataDelta(MetadataImage.empty("c"));
        for (int id = 1; id <= racks.size() + fenced; id++) {
            RegisterBrokerRecord.Builder r = RegisterBrokerRecord.newBuilder().setBrokerId(id)
                    .setIncarnationId(Uuids.toProto(new UUID(0, id))).setBrokerEpoch(id).setFenced(true);
            if (id <= racks.size() && racks.get(id - 1) != null) {
                r.setRack(racks.get(id - 1));
            }
            d.replay(MetadataRecord.newBuilder().setRegisterBroker(r).build());
            if (id <= racks.size()) {
                d.replay(MetadataRecord.newBuilder().setUnfenceBroker(UnfenceBrokerRecord.newBuilder()
                        .setBrokerId(id).setBrokerEpoch(id)).build());
            }
        }
        return d.apply(new MetadataProvenance(1, 1));
    }

    static Supplier<UUID> sequentialIds() {
        AtomicLong next = new AtomicLong(1);
        return () -> new UUID(0, next.getAndIncrement());
    }

    static MetadataImage apply(MetadataImage image, List<MetadataRecord> records) {
        MetadataDelta d = new MetadataDelta(image);
        records.forEach(d::replay);
        return d.apply(new MetadataProvenance(1, image.provenance().index() + 1));
    }
}
