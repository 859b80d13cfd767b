package io.runnel.broker.handler;

import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

import java.util.List;
import java.util.Objects;

/**
 * One config entry as DescribeConfigs (API key 32) and CreateTopics v5+ (KIP-525) report it. Immutable.
 *
 * @param name      the key (Kafka's name)
 * @param value     the value in effect, as text; null for a sensitive key
 * @param source    where the value comes from (KIP-226): TOPIC_CONFIG (shown by clients as DYNAMIC_TOPIC_CONFIG),
 *                  STATIC_BROKER_CONFIG, DEFAULT_CONFIG
 * @param readOnly  true when it cannot be altered at runtime (Runnel: every broker key)
 * @param sensitive true for passwords (value hidden)
 * @param type      the value type (DescribeConfigs v3+, KIP-569)
 * @param synonyms  every source that sets this key, highest precedence first, the one in effect included (v1+,
 *                  only when the request asks for synonyms)
 */
public record DescribedConfig(String name, String value, ConfigSource source, boolean readOnly, boolean sensitive,
                              ConfigType type, List<Synonym> synonyms) {
    public DescribedConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        synonyms = List.copyOf(synonyms);
    }

    /** One synonym: a key (topic or broker) with its raw value and the source it comes from. */
    public record Synonym(String name, String value, ConfigSource source) {
    }
}
