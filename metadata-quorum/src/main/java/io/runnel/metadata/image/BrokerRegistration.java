package io.runnel.metadata.image;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A registered broker as the image knows it (KIP-631). {@code epoch} is the broker epoch given at registration;
 * {@code rack} is null when the broker has none; {@code fenced} brokers lead no partitions and join no ISR.
 */
public record BrokerRegistration(int id, UUID incarnationId, long epoch, List<BrokerEndpoint> endpoints, String rack,
                                 boolean fenced) {
    public BrokerRegistration {
        Objects.requireNonNull(incarnationId, "incarnationId");
        endpoints = List.copyOf(endpoints);
    }

    public BrokerRegistration withFenced(boolean newFenced) {
        return new BrokerRegistration(id, incarnationId, epoch, endpoints, rack, newFenced);
    }
}
