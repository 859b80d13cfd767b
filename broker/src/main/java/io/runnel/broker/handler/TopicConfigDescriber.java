package io.runnel.broker.handler;

import io.runnel.broker.handler.DescribedConfig.Synonym;
import io.runnel.broker.handler.TopicConfigDefaults.BrokerSynonym;
import io.runnel.broker.handler.TopicConfigDefaults.TopicDefault;
import io.runnel.broker.server.BrokerConfigSource;
import io.runnel.metadata.controller.ConfigKey;
import io.runnel.metadata.controller.TopicConfigs;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Describes a topic's configuration as Kafka's DescribeConfigs does (KIP-133, KIP-226): every topic-level key, with
 * the value in effect and where it comes from, in precedence order:
 * <ol>
 *   <li>the topic's own override in the metadata image: source TOPIC_CONFIG (DYNAMIC_TOPIC_CONFIG in Admin);</li>
 *   <li>a broker key set explicitly in the server configuration ({@link TopicConfigDefaults}):
 *       STATIC_BROKER_CONFIG, converted to the topic key's unit (e.g. {@code log.retention.hours=168} gives
 *       {@code retention.ms=604800000});</li>
 *   <li>otherwise DEFAULT_CONFIG: the broker key's default, else Kafka's topic default.</li>
 * </ol>
 * Dynamic broker configs (DYNAMIC_BROKER_CONFIG, DYNAMIC_DEFAULT_BROKER_CONFIG) do not exist in Runnel. Overrides of
 * keys that are not topic configs (written around the controller's checks) are reported too, type UNKNOWN. Entries
 * come sorted by key. Thread-safe (stateless apart from the broker's configuration source).
 */
final class TopicConfigDescriber {
    private final BrokerConfigSource broker;

    TopicConfigDescriber(BrokerConfigSource broker) {
        this.broker = broker;
    }

    /**
     * @param overrides       the topic's overrides (key to value)
     * @param keys            the keys asked for, or null for all; unknown keys are left out
     * @param includeSynonyms fill {@link DescribedConfig#synonyms()}
     */
    List<DescribedConfig> describe(Map<String, String> overrides, Collection<String> keys, boolean includeSynonyms) {
        Map<String, String> brokerValues = broker.brokerConfigs();
        TreeSet<String> names = new TreeSet<>(TopicConfigs.KEYS.keySet());
        names.addAll(overrides.keySet());
        if (keys != null) {
            names.retainAll(keys);
        }
        List<DescribedConfig> out = new ArrayList<>(names.size());
        for (String name : names) {
            out.add(describe(name, overrides.get(name), brokerValues, includeSynonyms));
        }
        return out;
    }

    private DescribedConfig describe(String name, String override, Map<String, String> brokerValues,
                                     boolean includeSynonyms) {
        TopicDefault def = TopicConfigDefaults.BY_TOPIC_KEY.get(name);
        List<Synonym> synonyms = new ArrayList<>();
        String value = null;
        if (override != null) {
            synonyms.add(new Synonym(name, override, ConfigSource.TOPIC_CONFIG));
            value = override;
        }
        List<BrokerSynonym> brokerKeys = def == null ? List.of() : def.synonyms();
        for (BrokerSynonym s : brokerKeys) {
            String raw = brokerValues.get(s.brokerKey());
            if (raw != null && broker.explicitlyConfigured(s.brokerKey())) {
                synonyms.add(new Synonym(s.brokerKey(), raw, ConfigSource.STATIC_BROKER_CONFIG));
                if (value == null) {
                    value = TopicConfigDefaults.convert(raw, s.toTopicUnit());
                }
            }
        }
        boolean defaultFound = false;
        for (BrokerSynonym s : brokerKeys) {
            String raw = brokerValues.get(s.brokerKey());
            if (raw != null && !broker.explicitlyConfigured(s.brokerKey())) {
                synonyms.add(new Synonym(s.brokerKey(), raw, ConfigSource.DEFAULT_CONFIG));
                if (value == null) {
                    value = TopicConfigDefaults.convert(raw, s.toTopicUnit());
                }
                defaultFound = true;
            }
        }
        if (def != null && !defaultFound) {
            String defaultName = brokerKeys.isEmpty() ? name : brokerKeys.get(0).brokerKey();
            synonyms.add(new Synonym(defaultName, def.kafkaDefault(), ConfigSource.DEFAULT_CONFIG));
            if (value == null) {
                value = def.kafkaDefault();
            }
        }
        ConfigSource source = synonyms.isEmpty() ? ConfigSource.UNKNOWN : synonyms.get(0).source();
        return new DescribedConfig(name, value, source, false, false, type(name),
                includeSynonyms ? synonyms : List.of());
    }

    /** The DescribeConfigs type of a topic key (KIP-569). */
    static ConfigType type(String topicKey) {
        ConfigKey key = TopicConfigs.KEYS.get(topicKey);
        if (key == null) {
            return ConfigType.UNKNOWN;
        }
        return switch (key.type()) {
            case INT -> ConfigType.INT;
            case LONG -> ConfigType.LONG;
            case DOUBLE -> ConfigType.DOUBLE;
            case BOOLEAN -> ConfigType.BOOLEAN;
            case STRING -> ConfigType.STRING;
            case LIST -> ConfigType.LIST;
        };
    }
}
