package io.runnel.metadata.image;

import java.util.Objects;

/** One advertised listener of a broker: name (e.g. {@code PLAINTEXT}), host, port 1..65535, security protocol. */
public record BrokerEndpoint(String listenerName, String host, int port, String securityProtocol) {
    public BrokerEndpoint {
        Objects.requireNonNull(listenerName, "listenerName");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(securityProtocol, "securityProtocol");
    }
}
