package io.runnel.broker.handler;

import io.runnel.broker.config.ConfigKey;
import io.runnel.broker.config.ServerConfigKeys;
import io.runnel.broker.handler.DescribedConfig.Synonym;
import io.runnel.broker.server.BrokerConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Describes this broker's own configuration for DescribeConfigs of a BROKER resource (KIP-133, KIP-226): every key
 * {@link BrokerConfigSource} reports, sorted, with source STATIC_BROKER_CONFIG when it was set in the server
 * properties (or an override) and DEFAULT_CONFIG otherwise. Every entry is read-only: Runnel has no dynamic broker
 * configs. Keys whose name mentions a password are sensitive and reported without a value, as Kafka does.
 */
final class BrokerConfigDescriber {
    private final BrokerConfigSource broker;

    BrokerConfigDescriber(BrokerConfigSource broker) {
        this.broker = broker;
    }

    /**
     * @param keys            the keys asked for, or null for all; unknown keys are left out
     * @param includeSynonyms fill {@link DescribedConfig#synonyms()} (here: the entry itself)
     */
    List<DescribedConfig> describe(Collection<String> keys, boolean includeSynonyms) {
        Map<String, String> values = new TreeMap<>(broker.brokerConfigs());
        if (keys != null) {
            values.keySet().retainAll(keys);
        }
        List<DescribedConfig> out = new ArrayList<>(values.size());
        values.forEach((name, raw) -> {
            boolean sensitive = name.toLowerCase(Locale.ROOT).contains("password");
            String value = sensitive ? null : raw;
            ConfigSource source = broker.explicitlyConfigured(name) ? ConfigSource.STATIC_BROKER_CONFIG
                    : ConfigSource.DEFAULT_CONFIG;
            List<Synonym> synonyms = includeSynonyms ? List.of(new Synonym(name, value, source)) : List.of();
            out.add(new DescribedConfig(name, value, source, true, sensitive,
                    sensitive ? ConfigType.PASSWORD : type(name), synonyms));
        });
        return out;
    }

    /** The DescribeConfigs type of a server key (KIP-569), from its definition; UNKNOWN when undefined. */
    static ConfigType type(String serverKey) {
        ConfigKey key = ServerConfigKeys.all().get(serverKey);
        if (key == null) {
            return ConfigType.UNKNOWN;
        }
        return switch (key.type()) {
            case INT -> ConfigType.INT;
            case LONG -> ConfigType.LONG;
            case BOOLEAN -> ConfigType.BOOLEAN;
            case STRING -> ConfigType.STRING;
            case LIST -> ConfigType.LIST;
        };
    }
}
