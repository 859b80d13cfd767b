package io.runnel.cli.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code --bootstrap-server} value: {@code HOST:PORT[,HOST:PORT...]}, IPv6 hosts in brackets
 * ({@code [::1]:9092}), as kafka-clients' {@code bootstrap.servers} accepts it.
 *
 * @param text the value as given, used in messages such as {@code cannot reach broker at localhost:9092}
 * @param addresses the unresolved addresses, in the order given
 */
public record BootstrapServers(String text, List<InetSocketAddress> addresses) {

    /**
     * Parses a bootstrap list.
     *
     * @param text e.g. {@code localhost:9092} or {@code a:9092,b:9092}
     * @return the parsed list
     * @throws IllegalArgumentException naming the malformed entry (callers turn it into a usage error)
     */
    public static BootstrapServers parse(String text) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String raw : text.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            addresses.add(parseOne(entry));
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("--bootstrap-server is empty: expected HOST:PORT[,HOST:PORT...]");
        }
        return new BootstrapServers(text.trim(), List.copyOf(addresses));
    }

    private static InetSocketAddress parseOne(String entry) {
        int colon = entry.lastIndexOf(':');
        String host = colon < 0 ? "" : entry.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (colon < 0 || host.isEmpty()) {
            throw new IllegalArgumentException("invalid bootstrap server '" + entry + "': expected HOST:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(entry.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port in bootstrap server '" + entry + "'");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("invalid port in bootstrap server '" + entry + "': " + port
                    + " is not in 1..65535");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
        return text;
    }
}
