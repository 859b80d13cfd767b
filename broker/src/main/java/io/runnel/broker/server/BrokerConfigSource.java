package io.runnel.broker.server;

import java.util.Map;

/**
 * The broker's own static configuration, as DescribeConfigs (API key 32; KIP-133, KIP-226) reports it for a
 * {@code BROKER} resource naming this broker. The node wiring implements it from the server configuration.
 */
@FunctionalInterface
public interface BrokerConfigSource {
    /**
     * Every broker key with a value, as configured or defaulted (Kafka's key names, values as text, lists
     * comma-joined, durations and sizes in the unit the key's name states). Keys whose value was configured
     * explicitly are reported with source STATIC_BROKER_CONFIG, the others DEFAULT_CONFIG, when
     * {@link #explicitlyConfigured} says so.
     */
    Map<String, String> brokerConfigs();

    /**
     * True when {@code key} was set in the properties file or an override, false when its value is Kafka's
     * default. The default implementation reports every key as configured.
     */
    default boolean explicitlyConfigured(String key) {
        return true;
    }
}
