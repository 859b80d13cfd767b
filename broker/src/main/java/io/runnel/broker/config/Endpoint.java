package io.runnel.broker.config;

/**
 * A listener as Kafka writes it, {@code NAME://host:port}: an empty host binds every interface.
 *
 * @param listenerName e.g. {@code PLAINTEXT} or {@code CONTROLLER}
 * @param host         host name or address; empty for all interfaces
 * @param port         TCP port, 0 for an ephemeral one
 */
public record Endpoint(String listenerName, String host, int port) {
    /**
     * Parses {@code NAME://host:port} (IPv6 hosts in brackets).
     *
     * @throws ServerConfigException naming {@code key} when malformed
     */
    public static Endpoint parse(String key, String text) {
        int sep = text.indexOf("://");
        int colon = text.lastIndexOf(':');
        if (sep <= 0 || colon <= sep + 2) {
            throw new ServerConfigException("Invalid value '" + text + "' in " + key
                    + ": expected NAME://host:port, e.g. PLAINTEXT://localhost:9092");
        }
        String host = text.substring(sep + 3, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new ServerConfigException("Invalid port in '" + text + "' in " + key + ": expected 0-65535");
        }
        return new Endpoint(text.substring(0, sep).toUpperCase(java.util.Locale.ROOT), host, port);
    }

    @Override
    public String toString() {
        return listenerName + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
