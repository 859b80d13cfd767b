package io.runnel.broker.handler;

import io.runnel.broker.metadata.MetadataCache;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingPartitionReassignment;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingTopicReassignment;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * ListPartitionReassignments (key 46, v0; KIP-455), answered from this broker's metadata image: every partition
 * with a reassignment in progress (adding or removing replicas), with its current replicas (target first, then the
 * replicas being removed), adding and removing replicas. With {@code topics} null, all topics (by name, partitions
 * ascending); otherwise only the named partitions, in request order, silently skipping unknown topics and partitions
 * and those not being reassigned, as Kafka does. Never errs (error code 0).
 */
public final class ListPartitionReassignmentsHandler implements ApiHandler {
    private final MetadataCache cache;

    public ListPartitionReassignmentsHandler(MetadataCache cache) {
        this.cache = cache;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_PARTITION_REASSIGNMENTS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        ListPartitionReassignmentsRequestData data = (ListPartitionReassignmentsRequestData) request.body();
        MetadataImage image = cache.current().image();
        List<OngoingTopicReassignment> topics = new ArrayList<>();
        if (data.topics() == null) {
            for (TopicImage t : new TreeMap<>(image.topicsByName()).values()) {
                add(topics, t, new TreeMap<>(t.partitions()).keySet());
            }
        } else {
            for (ListPartitionReassignmentsTopics rt : data.topics()) {
                TopicImage t = image.topicsByName().get(rt.name());
                if (t != null) {
                    add(topics, t, rt.partitionIndexes());
                }
            }
        }
        return CompletableFuture.completedFuture(ApiResponse.send(new ListPartitionReassignmentsResponseData()
                .setThrottleTimeMs(0).setErrorCode(Errors.NONE.code()).setErrorMessage(null).setTopics(topics)));
    }

    private static void add(List<OngoingTopicReassignment> out, TopicImage t, Iterable<Integer> partitions) {
        OngoingTopicReassignment topic = new OngoingTopicReassignment().setName(t.name());
        for (int id : partitions) {
            PartitionRegistration p = t.partition(id);
            if (p != null && p.isReassigning()) {
                topic.partitions().add(new OngoingPartitionReassignment().setPartitionIndex(id)
                        .setReplicas(new ArrayList<>(p.replicas()))
                        .setAddingReplicas(new ArrayList<>(p.addingReplicas()))
                        .setRemovingReplicas(new ArrayList<>(p.removingReplicas())));
            }
        }
        if (!topic.partitions().isEmpty()) {
            out.add(topic);
        }
    }
}
