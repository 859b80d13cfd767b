package io.runnel.metadata.controller;

import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.record.BrokerIdList;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.PartitionChangeRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Turns a partition's target state (replicas, ISR, adding and removing replicas) into one sparse
 * PartitionChangeRecord, as KRaft's controller does for reassignments (KIP-455):
 * <ol>
 *   <li>a reassignment in progress completes when the ISR without the removing replicas is non-empty and holds
 *       every replica that stays: replicas = replicas − removing, ISR = ISR − removing, adding/removing cleared;</li>
 *   <li>the leader stays if it is still in the ISR, else the first replica (in replica order) that is in the ISR and
 *       registered unfenced leads, else none (-1);</li>
 *   <li>the record names the leader (which bumps the leader epoch on replay) when the leader changes or a replica
 *       leaves the replica set, so that the removed replica is fenced (KIP-101/KIP-320 epochs).</li>
 * </ol>
 * Only the fields that differ from the current registration are set; no record when nothing differs.
 */
final class PartitionChangeBuilder {
    private PartitionChangeBuilder() {
    }

    /**
     * @param replicas target replicas (broker ids, preferred leader first), isr a subset of them
     * @param adding   replicas being added (ascending), removing replicas to drop (ascending); both subsets of replicas
     * @return the change record, or null when the target equals the current registration
     */
    static MetadataRecord build(MetadataImage image, UUID topicId, int partition, PartitionRegistration current,
                                List<Integer> replicas, List<Integer> isr, List<Integer> adding,
                                List<Integer> removing) {
        if (!adding.isEmpty() || !removing.isEmpty()) {
            List<Integer> keptIsr = without(isr, removing);
            List<Integer> keptReplicas = without(replicas, removing);
            if (!keptIsr.isEmpty() && keptIsr.containsAll(keptReplicas)) {
                replicas = keptReplicas;
                isr = keptIsr;
                adding = List.of();
                removing = List.of();
            }
        }
        int leader = current.leader();
        if (leader == PartitionRegistration.NO_LEADER || !isr.contains(leader) || !replicas.contains(leader)) {
            leader = electLeader(image, replicas, isr);
        }
        boolean replicaLeft = !replicas.containsAll(current.replicas());
        PartitionChangeRecord.Builder c = PartitionChangeRecord.newBuilder().setTopicId(Uuids.toProto(topicId))
                .setPartitionId(partition);
        boolean changed = false;
        if (leader != current.leader() || replicaLeft) {
            c.setLeader(leader);
            changed = true;
        }
        if (!isr.equals(current.isr())) {
            c.setIsr(BrokerIdList.newBuilder().addAllIds(isr));
            changed = true;
        }
        if (!replicas.equals(current.replicas())) {
            c.setReplicas(BrokerIdList.newBuilder().addAllIds(replicas));
            changed = true;
        }
        if (!adding.equals(current.addingReplicas())) {
            c.setAddingReplicas(BrokerIdList.newBuilder().addAllIds(adding));
            changed = true;
        }
        if (!removing.equals(current.removingReplicas())) {
            c.setRemovingReplicas(BrokerIdList.newBuilder().addAllIds(removing));
            changed = true;
        }
        return changed ? MetadataRecord.newBuilder().setPartitionChange(c).build() : null;
    }

    /** The first of {@code replicas} that is in {@code isr} and registered unfenced, or -1. */
    static int electLeader(MetadataImage image, List<Integer> replicas, List<Integer> isr) {
        for (int id : replicas) {
            BrokerRegistration b = image.brokers().get(id);
            if (isr.contains(id) && b != null && !b.fenced()) {
                return id;
            }
        }
        return PartitionRegistration.NO_LEADER;
    }

    /** {@code list} without the members of {@code drop}, order kept. */
    static List<Integer> without(List<Integer> list, List<Integer> drop) {
        List<Integer> out = new ArrayList<>(list);
        out.removeAll(drop);
        return out;
    }
}
