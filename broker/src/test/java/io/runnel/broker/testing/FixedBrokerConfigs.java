package io.runnel.broker.testing;

import io.runnel.broker.server.BrokerConfigSource;

import java.util.Map;
import java.util.Set;

/** A broker configuration for tests: {@code values} (defaults included), of which {@code explicit} were set. */
public record FixedBrokerConfigs(Map<String, String> values, Set<String> explicit) implements BrokerConfigSource {
    /** Kafka-like: {@code log.segment.bytes} and {@code message.max.bytes} set, retention and others defaulted. */
    public static final FixedBrokerConfigs TYPICAL = new FixedBrokerConfigs(Map.of(
            "node.id", "1",
            "log.segment.bytes", "1073741824",
            "message.max.bytes", "1048588",
            "log.retention.hours", "168",
            "log.roll.hours", "168",
            "min.insync.replicas", "1",
            "num.partitions", "2",
            "ssl.keystore.password", "secret"),
            Set.of("node.id", "log.segment.bytes", "num.partitions", "ssl.keystore.password"));

    @Override
    public Map<String, String> brokerConfigs() {
        return values;
    }

    @Override
    public boolean explicitlyConfigured(String key) {
        return explicit.contains(key);
    }
}
