package io.runnel.metadata.image;

import io.runnel.metadata.errors.MetadataReplayException;
import io.runnel.metadata.record.BrokerIdList;
import io.runnel.metadata.record.ConfigRecord;
import io.runnel.metadata.record.ConfigResourceType;
import io.runnel.metadata.record.FenceBrokerRecord;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.MetadataRecordBatch;
import io.runnel.metadata.record.OffsetCommitRecord;
import io.runnel.metadata.record.OffsetDeleteRecord;
import io.runnel.metadata.record.PartitionChangeRecord;
import io.runnel.metadata.record.PartitionRecord;
import io.runnel.metadata.record.ProducerIdsRecord;
import io.runnel.metadata.record.RegisterBrokerRecord;
import io.runnel.metadata.record.RemoveTopicRecord;
import io.runnel.metadata.record.TopicRecord;
import io.runnel.metadata.record.TransactionRecord;
import io.runnel.metadata.record.TransactionRemoveRecord;
import io.runnel.metadata.record.TxnOffsetCommitRecord;
import io.runnel.metadata.record.TxnOffsetsClearRecord;
import io.runnel.metadata.record.TxnPartition;
import io.runnel.metadata.record.UnfenceBrokerRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** Test helper: deterministic (seeded) sequences of valid record batches covering every record type. */
final class RandomBatches {
    private final Random random;
    private long epochs = 1;

    RandomBatches(long seed) {
        this.random = new Random(seed);
    }

    /** {@code count} batches, each valid against the image the previous ones produce. */
    List<MetadataRecordBatch> generate(String clusterId, int count) {
        List<MetadataRecordBatch> out = new ArrayList<>();
        MetadataImage image = MetadataImage.empty(clusterId);
        while (out.size() < count) {
            MetadataDelta delta = new MetadataDelta(image);
            MetadataRecordBatch.Builder batch = MetadataRecordBatch.newBuilder();
            int size = 1 + random.nextInt(4);
            for (int i = 0; i < size; i++) {
                MetadataRecord r = next(delta.apply(image.provenance()));
                try {
                    delta.replay(r);
                    batch.addRecords(r);
                } catch (MetadataReplayException e) {
                    // not valid at this point: leave it out
                }
            }
            if (batch.getRecordsCount() > 0) {
                out.add(batch.build());
                image = delta.apply(new MetadataProvenance(1, out.size()));
            }
        }
        return out;
    }

    private MetadataRecord next(MetadataImage image) {
        MetadataRecord.Builder r = MetadataRecord.newBuilder();
        List<Integer> brokers = new ArrayList<>(image.brokers().keySet());
        Collections.sort(brokers);
        List<TopicImage> topics = new ArrayList<>(image.topicsByName().values());
        topics.sort((a, b) -> a.name().compareTo(b.name()));
        switch (random.nextInt(14)) {
            case 0 -> r.setRegisterBroker(RegisterBrokerRecord.newBuilder().setBrokerId(random.nextInt(5))
                    .setIncarnationId(Uuids.toProto(new UUID(random.nextLong(), random.nextLong())))
                    .setBrokerEpoch(epochs++).setFenced(random.nextBoolean())
                    .addEndpoints(io.runnel.metadata.record.BrokerEndpoint.newBuilder().setListenerName("PLAINTEXT")
                            .setHost("127.0.0.1").setPort(9092 + random.nextInt(10)).setSecurityProtocol("PLAINTEXT"))
                    .setRack(random.nextBoolean() ? "rack-" + random.nextInt(3) : ""));
            case 1, 2 -> {
                if (brokers.isEmpty()) {
                    return next(image);
                }
                BrokerRegistration b = image.brokers().get(brokers.get(random.nextInt(brokers.size())));
                if (random.nextBoolean()) {
                    r.setFenceBroker(FenceBrokerRecord.newBuilder().setBrokerId(b.id()).setBrokerEpoch(b.epoch()));
                } else {
                    r.setUnfenceBroker(UnfenceBrokerRecord.newBuilder().setBrokerId(b.id())
                            .setBrokerEpoch(b.epoch()));
                }
            }
            case 3 -> r.setTopic(TopicRecord.newBuilder().setName("t" + random.nextInt(8))
                    .setTopicId(Uuids.toProto(new UUID(random.nextLong() | 1, random.nextLong()))));
            case 4, 5 -> {
                if (topics.isEmpty()) {
                    return next(image);
                }
                TopicImage t = topics.get(random.nextInt(topics.size()));
                List<Integer> replicas = replicas();
                List<Integer> isr = replicas.subList(0, 1 + random.nextInt(replicas.size()));
                r.setPartition(PartitionRecord.newBuilder().setTopicId(Uuids.toProto(t.id()))
                        .setPartitionId(random.nextInt(4)).addAllReplicas(replicas).addAllIsr(isr)
                        .setLeader(random.nextBoolean() ? isr.get(0) : -1).setLeaderEpoch(random.nextInt(3))
                        .setPartitionEpoch(random.nextInt(3)));
            }
            case 6 -> {
                if (topics.isEmpty()) {
                    return next(image);
                }
                TopicImage t = topics.get(random.nextInt(topics.size()));
                if (t.partitions().isEmpty()) {
                    return next(image);
                }
                int pid = new ArrayList<>(new java.util.TreeSet<>(t.partitions().keySet()))
                        .get(random.nextInt(t.partitions().size()));
                PartitionRegistration p = t.partition(pid);
                PartitionChangeRecord.Builder c = PartitionChangeRecord.newBuilder()
                        .setTopicId(Uuids.toProto(t.id())).setPartitionId(pid);
                List<Integer> isr = p.replicas().subList(0, 1 + random.nextInt(p.replicas().size()));
                if (random.nextBoolean()) {
                    c.setIsr(BrokerIdList.newBuilder().addAllIds(isr));
                    c.setLeader(isr.get(random.nextInt(isr.size())));
                } else if (random.nextBoolean()) {
                    c.setLeader(-1);
                }
                if (random.nextInt(3) == 0) { // a reassignment starts, changes or ends (KIP-455)
                    BrokerIdList.Builder adding = BrokerIdList.newBuilder();
                    BrokerIdList.Builder removing = BrokerIdList.newBuilder();
                    for (int id : new java.util.TreeSet<>(p.replicas())) {
                        int pick = random.nextInt(3);
                        (pick == 0 ? adding : pick == 1 ? removing : BrokerIdList.newBuilder()).addIds(id);
                    }
                    c.setAddingReplicas(adding).setRemovingReplicas(removing);
                }
                r.setPartitionChange(c);
            }
            case 7 -> {
                if (topics.isEmpty() || random.nextInt(3) != 0) {
                    return next(image);
                }
                r.setRemoveTopic(RemoveTopicRecord.newBuilder()
                        .setTopicId(Uuids.toProto(topics.get(random.nextInt(topics.size())).id())));
            }
            case 8 -> {
                boolean topic = !topics.isEmpty() && random.nextBoolean();
                ConfigRecord.Builder c = ConfigRecord.newBuilder()
                        .setResourceType(topic ? ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC
                                : ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER)
                        .setResourceName(topic ? topics.get(random.nextInt(topics.size())).name()
                                : String.valueOf(random.nextInt(3)))
                        .setName(random.nextBoolean() ? "retention.ms" : "cleanup.policy");
                if (random.nextInt(4) != 0) {
                    c.setValue(String.valueOf(random.nextInt(1000)));
                }
                r.setConfig(c);
            }
            case 9 -> r.setProducerIds(ProducerIdsRecord.newBuilder().setBrokerId(random.nextInt(5))
                    .setBrokerEpoch(random.nextInt(5)).setNextProducerId(image.nextProducerId() + 1000));
            case 11, 12 -> r.mergeFrom(transaction(image));
            case 13 -> {
                String group = "g" + random.nextInt(3);
                long producerId = random.nextInt(4);
                if (random.nextInt(4) == 0) {
                    r.setTxnOffsetsClear(TxnOffsetsClearRecord.newBuilder().setGroupId(group)
                            .setProducerId(producerId));
                } else {
                    r.setTxnOffsetCommit(TxnOffsetCommitRecord.newBuilder().setGroupId(group)
                            .setProducerId(producerId).setTopic("t" + random.nextInt(3))
                            .setPartition(random.nextInt(3)).setOffset(random.nextInt(10_000))
                            .setLeaderEpoch(random.nextInt(5) - 1).setMetadata(random.nextBoolean() ? "" : "m")
                            .setCommitTimestampMs(1_700_000_000_000L + random.nextInt(1_000_000)));
                }
            }
            default -> {
                String group = "g" + random.nextInt(3);
                String topic = "t" + random.nextInt(3);
                int partition = random.nextInt(3);
                if (random.nextInt(4) == 0) {
                    r.setOffsetDelete(OffsetDeleteRecord.newBuilder().setGroupId(group).setTopic(topic)
                            .setPartition(partition));
                } else {
                    r.setOffsetCommit(OffsetCommitRecord.newBuilder().setGroupId(group).setTopic(topic)
                            .setPartition(partition).setOffset(random.nextInt(10_000))
                            .setLeaderEpoch(random.nextInt(5) - 1).setMetadata(random.nextBoolean() ? "" : "m")
                            .setCommitTimestampMs(1_700_000_000_000L + random.nextInt(1_000_000)));
                }
            }
        }
        return r.build();
    }

    /** A transactional id's next state (the version that follows the image's), or now and then its removal. */
    private MetadataRecord transaction(MetadataImage image) {
        String id = "tx" + random.nextInt(3);
        TransactionState current = image.transactions().get(id);
        if (current != null && random.nextInt(5) == 0) {
            return MetadataRecord.newBuilder().setTransactionRemove(TransactionRemoveRecord.newBuilder()
                    .setTransactionalId(id)).build();
        }
        TxnState[] states = TxnState.values();
        TransactionRecord.Builder t = TransactionRecord.newBuilder().setTransactionalId(id)
                .setProducerId(random.nextInt(4)).setProducerEpoch(random.nextInt(3))
                .setLastProducerId(random.nextInt(5) - 1).setLastProducerEpoch(random.nextInt(3) - 1)
                .setTimeoutMs(60_000).setState(states[random.nextInt(states.length)].toProto())
                .setTxnStartMs(random.nextBoolean() ? -1 : 1_700_000_000_000L + random.nextInt(1000))
                .setLastUpdateMs(1_700_000_000_000L + random.nextInt(1000))
                .setVersion(current == null ? 1 + random.nextInt(3) : current.version() + 1);
        java.util.TreeSet<TopicPartition> partitions = new java.util.TreeSet<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            partitions.add(new TopicPartition("t" + random.nextInt(3), random.nextInt(3)));
        }
        partitions.forEach(tp -> t.addPartitions(TxnPartition.newBuilder().setTopic(tp.topic())
                .setPartition(tp.partition())));
        java.util.TreeSet<String> groups = new java.util.TreeSet<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            groups.add("g" + random.nextInt(3));
        }
        t.addAllGroups(groups);
        return MetadataRecord.newBuilder().setTransaction(t).build();
    }

    private List<Integer> replicas() {
        List<Integer> ids = new ArrayList<>(List.of(0, 1, 2, 3, 4));
        Collections.shuffle(ids, random);
        return List.copyOf(ids.subList(0, 1 + random.nextInt(3)));
    }
}
