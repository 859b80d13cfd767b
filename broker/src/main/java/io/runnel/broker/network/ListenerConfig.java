package io.runnel.broker.network;

import java.util.Objects;

/**
 * One listener to bind, as Kafka's {@code listeners} entry {@code NAME://host:port} with its protocol from
 * {@code listener.security.protocol.map}.
 *
 * @param name             listener name, e.g. {@code PLAINTEXT}; Metadata answers with endpoints of this name
 * @param host             address to bind; empty or null binds every interface
 * @param port             TCP port; 0 picks a free one ({@link SocketServer#boundPort})
 * @param securityProtocol only {@code PLAINTEXT} is served
 */
public record ListenerConfig(String name, String host, int port, String securityProtocol) {
    public ListenerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(securityProtocol, "securityProtocol");
        if (!"PLAINTEXT".equals(securityProtocol)) {
            throw new IllegalArgumentException("listener " + name + ": security protocol " + securityProtocol
                    + " is not supported (only PLAINTEXT)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listener " + name + ": port " + port + " is not in 0-65535");
        }
    }

    /** A PLAINTEXT listener. */
    public static ListenerConfig plaintext(String name, String host, int port) {
        return new ListenerConfig(name, host, port, "PLAINTEXT");
    }
}
