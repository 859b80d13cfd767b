package io.runnel.broker.handler;

import io.runnel.broker.metadata.MetadataCache;
import io.runnel.broker.metadata.MetadataView;
import io.runnel.broker.metadata.TopicAutoCreator;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.image.BrokerEndpoint;
import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.image.TopicNames;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Metadata (key 3, v0-12) from the current {@link MetadataView}:
 * <ul>
 *   <li>brokers: the unfenced registrations with an endpoint for the listener the request came in on;</li>
 *   <li>cluster id (v2+) and a live broker as controller id (v1+; KRaft clients never reach controllers);</li>
 *   <li>topics: all (v0 empty list, v1+ null) or those named (v12 also by topic id), with topic ids (v10+) and
 *       partitions sorted by index: leader, leader epoch (v7+), replicas, ISR, offline replicas (v5+, replicas on
 *       unregistered brokers);</li>
 *   <li>errors as Kafka: UNKNOWN_TOPIC_OR_PARTITION (3), UNKNOWN_TOPIC_ID (100), INVALID_TOPIC_EXCEPTION (17),
 *       per partition LEADER_NOT_AVAILABLE (5) without a live leader and LISTENER_NOT_FOUND (72) when the leader
 *       lacks this listener;</li>
 *   <li>unknown topics with {@code allow_auto_topic_creation} (implicit before v4) and a {@link TopicAutoCreator}:
 *       creation is requested and the topic answered LEADER_NOT_AVAILABLE.</li>
 * </ul>
 */
public final class MetadataHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataHandler.class);
    private final MetadataCache cache;
    private final TopicAutoCreator autoCreator;

    /** @param autoCreator the controller hook, or null when {@code auto.create.topics.enable} is off or unwired */
    public MetadataHandler(MetadataCache cache, TopicAutoCreator autoCreator) {
        this.cache = cache;
        this.autoCreator = autoCreator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        MetadataRequestData data = (MetadataRequestData) request.body();
        short version = request.version();
        MetadataView view = cache.current();
        MetadataResponseData response = new MetadataResponseData()
                .setThrottleTimeMs(0)
                .setClusterId(view.clusterId())
                .setControllerId(view.controllerIdForClients());
        for (BrokerRegistration b : view.aliveBrokers()) {
            view.endpoint(b.id(), context.listenerName()).ifPresent(e -> response.brokers().add(
                    new MetadataResponseBroker().setNodeId(b.id()).setHost(e.host()).setPort(e.port())
                            .setRack(b.rack())));
        }
        boolean allTopics = data.topics() == null || (version == 0 && data.topics().isEmpty());
        if (allTopics) {
            view.topics().forEach(t -> response.topics().add(describe(view, t, context.listenerName())));
        } else {
            boolean allowAuto = version < 4 || data.allowAutoTopicCreation();
            Set<String> toCreate = new LinkedHashSet<>();
            for (MetadataRequestTopic requested : data.topics()) {
                response.topics().add(topic(view, requested, allowAuto, toCreate, context.listenerName(),
                        version));
            }
            if (!toCreate.isEmpty()) {
                requestCreation(toCreate);
            }
        }
        return CompletableFuture.completedFuture(ApiResponse.send(response));
    }

    private MetadataResponseTopic topic(MetadataView view, MetadataRequestTopic requested, boolean allowAuto,
                                        Set<String> toCreate, String listener, short version) {
        String name = requested.name();
        if (name == null) {
            Uuid id = requested.topicId();
            TopicImage t = id == null || Uuid.ZERO_UUID.equals(id) ? null
                    : view.topic(new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits()));
            if (t == null) {
                return new MetadataResponseTopic().setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()).setTopicId(
                        id == null ? Uuid.ZERO_UUID : id).setName(version >= 12 ? null : "");
            }
            return describe(view, t, listener);
        }
        TopicImage t = view.topic(name);
        if (t != null) {
            return describe(view, t, listener);
        }
        MetadataResponseTopic missing = new MetadataResponseTopic().setName(name).setTopicId(Uuid.ZERO_UUID);
        if (TopicNames.invalidReason(name) != null) {
            return missing.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
        }
        if (allowAuto && autoCreator != null) {
            toCreate.add(name);
            return missing.setErrorCode(Errors.LEADER_NOT_AVAILABLE.code());
        }
        return missing.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    private void requestCreation(Set<String> topics) {
        try {
            autoCreator.createTopics(Set.copyOf(topics)).whenComplete((errors, failure) -> {
                if (failure != null) {
                    LOG.warn("Auto-creating topics {} failed: {}", topics, failure.toString());
                } else {
                    errors.forEach((topic, error) -> {
                        if (error != Errors.NONE && error != Errors.TOPIC_ALREADY_EXISTS) {
                            LOG.warn("Auto-creating topic {} failed: {}", topic, error);
                        }
                    });
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Auto-creating topics {} failed", topics, e);
        }
    }

    private static MetadataResponseTopic describe(MetadataView view, TopicImage t, String listener) {
        MetadataResponseTopic topic = new MetadataResponseTopic()
                .setErrorCode(Errors.NONE.code())
                .setName(t.name())
                .setTopicId(new Uuid(t.id().getMostSignificantBits(), t.id().getLeastSignificantBits()))
                .setIsInternal(false);
        new TreeMap<>(t.partitions()).forEach((index, p) -> topic.partitions().add(partition(view, index, p,
                listener)));
        return topic;
    }

    private static MetadataResponsePartition partition(MetadataView view, int index, PartitionRegistration p,
                                                       String listener) {
        List<Integer> offline = new ArrayList<>();
        for (int replica : p.replicas()) {
            if (!view.isRegistered(replica)) {
                offline.add(replica);
            }
        }
        MetadataResponsePartition out = new MetadataResponsePartition()
                .setPartitionIndex(index)
                .setLeaderEpoch(p.leaderEpoch())
                .setReplicaNodes(new ArrayList<>(p.replicas()))
                .setIsrNodes(new ArrayList<>(p.isr()))
                .setOfflineReplicas(offline);
        Optional<BrokerEndpoint> leaderEndpoint = view.endpoint(p.leader(), listener);
        if (p.leader() < 0 || !view.isAlive(p.leader())) {
            return out.setErrorCode(Errors.LEADER_NOT_AVAILABLE.code()).setLeaderId(-1);
        }
        if (leaderEndpoint.isEmpty()) {
            return out.setErrorCode(Errors.LISTENER_NOT_FOUND.code()).setLeaderId(-1);
        }
        return out.setErrorCode(Errors.NONE.code()).setLeaderId(p.leader());
    }
}
