package io.runnel.broker.node;

import io.runnel.broker.metadata.TopicAutoCreator;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.controller.CreatableTopic;
import io.runnel.metadata.controller.CreateTopicResult;
import org.apache.kafka.common.protocol.Errors;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code auto.create.topics.enable}: asks the active controller to create topics a Metadata request named, with the
 * broker defaults {@code num.partitions} and {@code default.replication.factor} (the controller applies them).
 */
final class ControllerTopicAutoCreator implements TopicAutoCreator {
    private final ControllerClient controller;

    ControllerTopicAutoCreator(ControllerClient controller) {
        this.controller = controller;
    }

    @Override
    public CompletableFuture<Map<String, Errors>> createTopics(Set<String> topics) {
        return controller.createTopics(topics.stream().map(t -> CreatableTopic.of(t, CreatableTopic.USE_DEFAULT,
                CreatableTopic.USE_DEFAULT)).toList(), false).thenApply(results -> {
                    Map<String, Errors> out = new LinkedHashMap<>();
                    for (CreateTopicResult r : results) {
                        out.put(r.name(), Errors.forCode(r.error().error().code()));
                    }
                    return out;
                });
    }
}
