package io.runnel.metadata.controller;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.rpc.ConfigEntry;
import io.runnel.metadata.rpc.CreateTopicsRequest;
import io.runnel.metadata.rpc.CreateTopicsResponse;
import io.runnel.metadata.rpc.ManualReplicaAssignment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link CreatableTopic} / {@link CreateTopicResult} to and from their wire messages. */
public final class CreateTopicsMessages {
    private CreateTopicsMessages() {
    }

    public static CreateTopicsRequest toRequest(List<CreatableTopic> topics, boolean validateOnly) {
        CreateTopicsRequest.Builder b = CreateTopicsRequest.newBuilder().setValidateOnly(validateOnly);
        for (CreatableTopic t : topics) {
            CreateTopicsRequest.Topic.Builder tb = CreateTopicsRequest.Topic.newBuilder().setName(t.name())
                    .setNumPartitions(t.numPartitions()).setReplicationFactor(t.replicationFactor());
            t.configs().forEach((k, v) -> tb.addConfigs(ConfigEntry.newBuilder().setName(k).setValue(v)));
            t.assignments().forEach(a -> tb.addAssignments(ManualReplicaAssignment.newBuilder()
                    .setPartitionIndex(a.partitionIndex()).addAllBrokerIds(a.replicas())));
            b.addTopics(tb);
        }
        return b.build();
    }

    /** The topics of a request; a config key given twice keeps its last value. */
    public static List<CreatableTopic> fromRequest(CreateTopicsRequest req) {
        return req.getTopicsList().stream().map(t -> {
            Map<String, String> configs = new LinkedHashMap<>();
            t.getConfigsList().forEach(c -> configs.put(c.getName(), c.getValue()));
            List<PartitionAssignment> assignments = t.getAssignmentsList().stream()
                    .map(a -> new PartitionAssignment(a.getPartitionIndex(), a.getBrokerIdsList())).toList();
            return new CreatableTopic(t.getName(), t.getNumPartitions(), (short) t.getReplicationFactor(), configs,
                    assignments);
        }).toList();
    }

    public static CreateTopicsResponse toResponse(List<CreateTopicResult> results) {
        CreateTopicsResponse.Builder b = CreateTopicsResponse.newBuilder();
        for (CreateTopicResult r : results) {
            CreateTopicsResponse.Topic.Builder t = CreateTopicsResponse.Topic.newBuilder().setName(r.name())
                    .setErrorCode(r.error().error().code()).setNumPartitions(r.numPartitions())
                    .setReplicationFactor(r.replicationFactor());
            if (r.error().message() != null) {
                t.setErrorMessage(r.error().message());
            }
            if (r.topicId() != null) {
                t.setTopicId(Uuids.toProto(r.topicId()));
            }
            b.addTopics(t);
        }
        return b.build();
    }

    public static List<CreateTopicResult> fromResponse(CreateTopicsResponse resp) {
        return resp.getTopicsList().stream().map(t -> new CreateTopicResult(t.getName(),
                new ApiError(ErrorCode.forCode(t.getErrorCode()), t.getErrorMessage().isEmpty() ? null
                        : t.getErrorMessage()),
                t.hasTopicId() ? Uuids.fromProto(t.getTopicId()) : null, t.getNumPartitions(),
                (short) t.getReplicationFactor())).toList();
    }
}
