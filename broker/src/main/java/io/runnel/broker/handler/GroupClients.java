package io.runnel.broker.handler;

import io.runnel.broker.protocol.RequestContext;

import java.net.InetSocketAddress;

/** How the group APIs name a client's host: as Kafka does, the peer address after a slash ({@code /127.0.0.1}). */
final class GroupClients {
    private GroupClients() {
    }

    static String host(RequestContext context) {
        InetSocketAddress a = context.clientAddress();
        if (a == null) {
            return "";
        }
        return a.getAddress() != null ? a.getAddress().toString() : "/" + a.getHostString();
    }
}
