package io.runnel.broker.handler;

import io.runnel.broker.metadata.MetadataCache;
import io.runnel.broker.metadata.MetadataView;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.metadata.record.ConfigResourceType;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.image.TopicNames;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeConfigs (key 32, v1-4; KIP-133, KIP-226 sources and synonyms, KIP-569 types and documentation), answered
 * from this broker's image and configuration:
 * <ul>
 *   <li>TOPIC: every topic-level key with the value in effect ({@link TopicConfigDescriber}); UNKNOWN_TOPIC_OR_PARTITION
 *       (3) for a topic the image lacks, INVALID_TOPIC_EXCEPTION (17) for an illegal name;</li>
 *   <li>BROKER named by this broker's id: its static configuration ({@link BrokerConfigDescriber}); the empty name
 *       (cluster-wide dynamic defaults) has no entries, Runnel having no dynamic broker configs; another broker's id
 *       gets INVALID_REQUEST (42), as Kafka answers (clients send broker resources to that broker);</li>
 *   <li>other resource types (broker loggers, client metrics, groups): INVALID_REQUEST with a message.</li>
 * </ul>
 * {@code configuration_keys} restricts the keys; synonyms (v1+) only with {@code include_synonyms}; config types
 * (v3+) always, documentation (v3+) never (null). No value is sensitive except keys naming a password.
 */
public final class DescribeConfigsHandler implements ApiHandler {
    private final MetadataCache cache;
    private final TopicConfigDescriber topics;
    private final BrokerConfigDescriber brokers;

    public DescribeConfigsHandler(MetadataCache cache, TopicConfigDescriber topics, BrokerConfigDescriber brokers) {
        this.cache = cache;
        this.topics = topics;
        this.brokers = brokers;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CONFIGS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        DescribeConfigsRequestData data = (DescribeConfigsRequestData) request.body();
        short version = request.version();
        MetadataView view = cache.current();
        DescribeConfigsResponseData response = new DescribeConfigsResponseData().setThrottleTimeMs(0);
        for (DescribeConfigsResource r : data.resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult().setResourceType(r.resourceType())
                    .setResourceName(r.resourceName()).setErrorCode(Errors.NONE.code());
            describe(view, r, data.includeSynonyms(), version, result);
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(ApiResponse.send(response));
    }

    private void describe(MetadataView view, DescribeConfigsResource r, boolean synonyms, short version,
                          DescribeConfigsResult result) {
        ConfigResource.Type type = ConfigResource.Type.forId(r.resourceType());
        String name = r.resourceName();
        List<DescribedConfig> entries;
        if (type == ConfigResource.Type.TOPIC) {
            String invalid = TopicNames.invalidReason(name);
            if (invalid != null) {
                fail(result, Errors.INVALID_TOPIC_EXCEPTION, invalid);
                return;
            }
            if (view.topic(name) == null) {
                fail(result, Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + name + "' does not exist");
                return;
            }
            entries = topics.describe(view.topicConfig(name), r.configurationKeys(), synonyms);
        } else if (type == ConfigResource.Type.BROKER) {
            Map<String, String> cluster = view.image().configs().getOrDefault(new io.runnel.metadata.image
                    .ConfigResource(ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER, ""), Map.of());
            if (name.isEmpty()) {
                entries = brokers.describeDefaults(r.configurationKeys(), synonyms, cluster);
            } else if (name.equals(Integer.toString(view.localBrokerId()))) {
                entries = brokers.describe(r.configurationKeys(), synonyms, view.image().configs().getOrDefault(
                        new io.runnel.metadata.image.ConfigResource(ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER,
                                name), Map.of()), cluster);
            } else {
                fail(result, Errors.INVALID_REQUEST, "Unexpected broker id, expected " + view.localBrokerId()
                        + " or empty string, but received " + name);
                return;
            }
        } else {
            fail(result, Errors.INVALID_REQUEST, "Runnel describes TOPIC and BROKER configs only, not " + type);
            return;
        }
        for (DescribedConfig e : entries) {
            result.configs().add(toWire(e, version));
        }
    }

    private static void fail(DescribeConfigsResult result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message);
    }

    private static DescribeConfigsResourceResult toWire(DescribedConfig e, short version) {
        DescribeConfigsResourceResult out = new DescribeConfigsResourceResult().setName(e.name()).setValue(e.value())
                .setReadOnly(e.readOnly()).setIsSensitive(e.sensitive()).setConfigSource(e.source().id());
        List<DescribeConfigsSynonym> synonyms = new ArrayList<>(e.synonyms().size());
        for (DescribedConfig.Synonym s : e.synonyms()) {
            synonyms.add(new DescribeConfigsSynonym().setName(s.name()).setValue(s.value())
                    .setSource(s.source().id()));
        }
        out.setSynonyms(synonyms);
        if (version >= 3) {
            out.setConfigType(e.type().id()).setDocumentation(null);
        }
        return out;
    }
}
