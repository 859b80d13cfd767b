package io.runnel.broker.handler;

import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetDelete (key 47, v0, KIP-496): deletes a group's committed offsets of some partitions, refusing topics a
 * member of the group still subscribes to (GROUP_SUBSCRIBED_TO_TOPIC, 86). Errors: see
 * {@link io.runnel.broker.group.OffsetDeleteResult}.
 */
public final class OffsetDeleteHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public OffsetDeleteHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_DELETE;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        OffsetDeleteRequestData d = (OffsetDeleteRequestData) request.body();
        List<TopicPartition> partitions = new ArrayList<>();
        for (OffsetDeleteRequestTopic t : d.topics()) {
            for (OffsetDeleteRequestPartition p : t.partitions()) {
                partitions.add(new TopicPartition(t.name(), p.partitionIndex()));
            }
        }
        return coordinator.deleteOffsets(d.groupId(), partitions).thenApply(r -> {
            OffsetDeleteResponseData out = new OffsetDeleteResponseData().setThrottleTimeMs(0)
                    .setErrorCode(r.error().code());
            if (r.error() == Errors.NONE) {
                r.partitions().forEach((tp, e) -> {
                    OffsetDeleteResponseTopic topic = out.topics().find(tp.topic());
                    if (topic == null) {
                        topic = new OffsetDeleteResponseTopic().setName(tp.topic());
                        out.topics().add(topic);
                    }
                    topic.partitions().add(new OffsetDeleteResponsePartition().setPartitionIndex(tp.partition())
                            .setErrorCode(e.code()));
                });
            }
            return ApiResponse.send(out);
        });
    }
}
