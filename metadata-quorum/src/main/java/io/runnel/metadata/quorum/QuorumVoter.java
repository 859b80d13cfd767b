package io.runnel.metadata.quorum;

import java.util.Objects;

/**
 * One entry of {@code controller.quorum.voters}: {@code id@host:port} (IPv6 hosts in brackets, {@code
 * 1@[::1]:9093}). The port is the controller listener, which Runnel's Ratis server binds.
 */
public record QuorumVoter(int id, String host, int port) {
    public QuorumVoter {
        Objects.requireNonNull(host, "host");
    }

    /** Parses one {@code id@host:port} entry; throws {@link ConfigException} naming the entry. */
    public static QuorumVoter parse(String entry) {
        String e = entry.trim();
        int at = e.indexOf('@');
        int colon = e.lastIndexOf(':');
        if (at <= 0 || colon <= at + 1 || colon == e.length() - 1) {
            throw new ConfigException("Invalid controller.quorum.voters entry '" + entry
                    + "': expected {id}@{host}:{port}");
        }
        String host = e.substring(at + 1, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int id = Integer.parseInt(e.substring(0, at));
            int port = Integer.parseInt(e.substring(colon + 1));
            if (id < 0 || port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new QuorumVoter(id, host, port);
        } catch (NumberFormatException ex) {
            throw new ConfigException("Invalid controller.quorum.voters entry '" + entry
                    + "': id must be >= 0 and port within 1..65535");
        }
    }

    /** {@code host:port}, brackets around IPv6 literals: the Ratis peer address. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return id + "@" + address();
    }
}
