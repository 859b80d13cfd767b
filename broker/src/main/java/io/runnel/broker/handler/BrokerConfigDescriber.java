package io.runnel.broker.handler;

import io.runnel.broker.config.ConfigKey;
import io.runnel.broker.config.ServerConfigKeys;
import io.runnel.broker.handler.DescribedConfig.Synonym;
import io.runnel.broker.server.BrokerConfigSource;
import io.runnel.metadata.controller.BrokerConfigs;
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
 * properties (or an override) and DEFAULT_CONFIG otherwise, overlaid by the dynamic configs in the metadata log
 * (DYNAMIC_BROKER_CONFIG for this broker's, DYNAMIC_DEFAULT_BROKER_CONFIG for the cluster default). Only the keys
 * brokers apply at runtime ({@code BrokerConfigs.DYNAMIC}) are writable. Keys whose name mentions a password are
 * sensitive and reported without a value, as Kafka does.
 */
final class BrokerConfigDescriber {
    private final BrokerConfigSource broker;

    BrokerConfigDescriber(BrokerConfigSource broker) {
        this.broker = broker;
    }

    /**
     * @param keys            the keys asked for, or null for all; unknown keys are left out
     * @param includeSynonyms fill {@link DescribedConfig#synonyms()} (the dynamic value, the cluster default, the
     *                        static value, most specific first)
     * @param own             this broker's dynamic configs from the metadata log (BROKER {@code <id>})
     * @param cluster         the cluster-wide dynamic defaults (BROKER {@code ""})
     */
    List<DescribedConfig> describe(Collection<String> keys, boolean includeSynonyms, Map<String, String> own,
                                   Map<String, String> cluster) {
        Map<String, String> values = new TreeMap<>(broker.brokerConfigs());
        values.putAll(cluster);
        values.putAll(own);
        if (keys != null) {
            values.keySet().retainAll(keys);
        }
        List<DescribedConfig> out = new ArrayList<>(values.size());
        values.forEach((name, raw) -> {
            boolean sensitive = name.toLowerCase(Locale.ROOT).contains("password");
            List<Synonym> synonyms = new ArrayList<>();
            if (own.containsKey(name)) {
                synonyms.add(new Synonym(name, sensitive ? null : own.get(name), ConfigSource.DYNAMIC_BROKER_CONFIG));
            }
            if (cluster.containsKey(name)) {
                synonyms.add(new Synonym(name, sensitive ? null : cluster.get(name),
                        ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG));
            }
            if (broker.brokerConfigs().containsKey(name)) {
                synonyms.add(new Synonym(name, sensitive ? null : broker.brokerConfigs().get(name),
                        broker.explicitlyConfigured(name) ? ConfigSource.STATIC_BROKER_CONFIG
                                : ConfigSource.DEFAULT_CONFIG));
            }
            Synonym top = synonyms.get(0);
            out.add(new DescribedConfig(name, sensitive ? null : raw, top.source(),
                    !BrokerConfigs.DYNAMIC.contains(name), sensitive, sensitive ? ConfigType.PASSWORD : type(name),
                    includeSynonyms ? List.copyOf(synonyms) : List.of()));
        });
        return out;
    }

    /** The cluster-wide dynamic defaults (DescribeConfigs of BROKER {@code ""}), as Kafka lists that entity. */
    List<DescribedConfig> describeDefaults(Collection<String> keys, boolean includeSynonyms,
                                           Map<String, String> cluster) {
        List<DescribedConfig> out = new ArrayList<>();
        new TreeMap<>(cluster).forEach((name, value) -> {
            if (keys == null || keys.contains(name)) {
                Synonym s = new Synonym(name, value, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
                out.add(new DescribedConfig(name, value, s.source(), !BrokerConfigs.DYNAMIC.contains(name), false,
                        type(name), includeSynonyms ? List.of(s) : List.of()));
            }
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
            case DOUBLE -> ConfigType.DOUBLE;
            case BOOLEAN -> ConfigType.BOOLEAN;
            case STRING -> ConfigType.STRING;
            case LIST -> ConfigType.LIST;
        };
    }
}
