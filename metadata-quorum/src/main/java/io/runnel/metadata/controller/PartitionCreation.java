package io.runnel.metadata.controller;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.PartitionRecord;
import io.runnel.metadata.rpc.CreatePartitionsRequest;
import io.runnel.metadata.rpc.CreatePartitionsResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CreatePartitions (API key 37, KIP-195): grows a topic to {@code count} partitions, each new one placed like
 * CreateTopics places partitions ({@link ReplicaPlacer}) with the replication factor of partition 0, ISR = replicas,
 * leader = first replica, epochs 0; or, with manual {@code assignments} (one replica list per new partition), as
 * listed once {@link ManualPlacement} accepts them (ISR = unfenced replicas, leader = the first of them). Errors per
 * topic: UNKNOWN_TOPIC_OR_PARTITION (3); INVALID_PARTITIONS (37) when the count is not above the current one;
 * INVALID_REPLICATION_FACTOR (38) when fewer unfenced brokers exist than the topic's replication factor (automatic
 * placement); INVALID_REPLICA_ASSIGNMENT (39) for refused assignments; INVALID_REQUEST (42) for a topic named
 * twice. Nothing of a refused topic is created.
 */
public final class PartitionCreation {
    private PartitionCreation() {
    }

    public static ControllerResult<CreatePartitionsResponse> createPartitions(MetadataImage image,
                                                                              CreatePartitionsRequest req) {
        Map<String, Integer> occurrences = new HashMap<>();
        req.getTopicsList().forEach(t -> occurrences.merge(t.getName(), 1, Integer::sum));
        ReplicaPlacer placer = new ReplicaPlacer(image);
        List<MetadataRecord> records = new ArrayList<>();
        CreatePartitionsResponse.Builder resp = CreatePartitionsResponse.newBuilder();
        for (CreatePartitionsRequest.Topic rt : req.getTopicsList()) {
            TopicImage t = image.topicsByName().get(rt.getName());
            ApiError e = validate(image, rt, t, occurrences.get(rt.getName()), placer.usableBrokers());
            CreatePartitionsResponse.Topic.Builder out = CreatePartitionsResponse.Topic.newBuilder()
                    .setName(rt.getName()).setErrorCode(e.error().code());
            if (e.message() != null) {
                out.setErrorMessage(e.message());
            }
            resp.addTopics(out);
            if (!e.isSuccess() || req.getValidateOnly()) {
                continue;
            }
            int rf = t.partition(0).replicas().size();
            for (int p = t.partitions().size(); p < rt.getCount(); p++) {
                if (rt.hasAssignments()) {
                    List<Integer> replicas = rt.getAssignments().getPartitions(p - t.partitions().size()).getIdsList();
                    records.add(MetadataRecord.newBuilder().setPartition(ManualPlacement.record(image, t.id(), p,
                            replicas)).build());
                    placer.account(replicas);
                    continue;
                }
                List<Integer> replicas = placer.place(rf);
                records.add(MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder()
                        .setTopicId(Uuids.toProto(t.id())).setPartitionId(p).addAllReplicas(replicas)
                        .addAllIsr(replicas).setLeader(replicas.get(0))).build());
            }
        }
        return new ControllerResult<>(records, resp.build());
    }

    private static ApiError validate(MetadataImage image, CreatePartitionsRequest.Topic rt, TopicImage t,
                                     int occurrences, int usable) {
        if (occurrences > 1) {
            return ApiError.of(ErrorCode.INVALID_REQUEST, "Duplicate topic name '" + rt.getName() + "'");
        }
        if (t == null) {
            return ApiError.of(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + rt.getName() + "' does not exist");
        }
        int current = t.partitions().size();
        if (rt.getCount() < current) {
            return ApiError.of(ErrorCode.INVALID_PARTITIONS, "Topic currently has " + current + " partitions, which"
                    + " is higher than the requested " + rt.getCount() + ".");
        }
        if (rt.getCount() == current) {
            return ApiError.of(ErrorCode.INVALID_PARTITIONS, "Topic already has " + current + " partitions.");
        }
        int rf = t.partition(0).replicas().size();
        if (rt.hasAssignments()) {
            List<List<Integer>> lists = rt.getAssignments().getPartitionsList().stream()
                    .map(l -> (List<Integer>) l.getIdsList()).toList();
            return ManualPlacement.checkNewPartitions(image, lists, current, rt.getCount() - current, rf);
        }
        if (rf > usable) {
            return ApiError.of(ErrorCode.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition " + rf
                    + " time(s): only " + usable + " broker(s) are registered and unfenced.");
        }
        return ApiError.NONE;
    }
}
