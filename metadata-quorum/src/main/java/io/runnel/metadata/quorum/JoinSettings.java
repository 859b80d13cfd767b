package io.runnel.metadata.quorum;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses what a controller that joins a running quorum is configured with (KIP-853): {@code
 * controller.quorum.bootstrap.servers} ({@code host:port,...}, no ids) and its own controller listener, the entry of
 * {@code listeners} named by the first of {@code controller.listener.names} (Kafka's default {@code CONTROLLER}).
 * Malformed values raise {@link ConfigException} naming the key.
 */
final class JoinSettings {
    private JoinSettings() {
    }

    /** {@code host:port} entries, trimmed, in order; IPv6 hosts in brackets. */
    static List<String> parseBootstrapServers(String value) {
        List<String> out = new ArrayList<>();
        for (String entry : value.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.lastIndexOf(':');
            if (colon <= 0 || !validPort(e.substring(colon + 1))) {
                throw new ConfigException("Invalid " + QuorumConfig.BOOTSTRAP_SERVERS_KEY + " entry '" + entry
                        + "': expected {host}:{port}");
            }
            out.add(e);
        }
        if (out.isEmpty()) {
            throw new ConfigException(QuorumConfig.BOOTSTRAP_SERVERS_KEY + " is empty");
        }
        return out;
    }

    /**
     * The joining node's controller address from {@code listeners} (e.g. {@code CONTROLLER://localhost:9099}); a
     * blank host is {@code localhost}; null when {@code listeners} has no controller listener (a broker-only node).
     */
    static QuorumVoter controllerListener(int nodeId, Map<String, String> props) {
        String names = props.getOrDefault("controller.listener.names", "CONTROLLER");
        String name = names.split(",")[0].trim();
        String listeners = props.get("listeners");
        if (!QuorumConfig.blank(listeners)) {
            for (String l : listeners.split(",")) {
                String t = l.trim();
                if (t.startsWith(name + "://")) {
                    String hostPort = t.substring(name.length() + 3);
                    int colon = hostPort.lastIndexOf(':');
                    String host = colon < 0 ? "" : hostPort.substring(0, colon);
                    if (host.startsWith("[") && host.endsWith("]")) {
                        host = host.substring(1, host.length() - 1);
                    }
                    if (colon < 0 || !validPort(hostPort.substring(colon + 1))
                            || Integer.parseInt(hostPort.substring(colon + 1)) == 0) {
                        throw new ConfigException("Invalid listener '" + t + "': a joining controller needs a fixed"
                                + " port on its controller listener");
                    }
                    return new QuorumVoter(nodeId, host.isBlank() ? "localhost" : host,
                            Integer.parseInt(hostPort.substring(colon + 1)));
                }
            }
        }
        return null;
    }

    private static boolean validPort(String s) {
        try {
            int p = Integer.parseInt(s.trim());
            return p >= 0 && p <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
