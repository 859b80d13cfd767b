package io.runnel.broker.protocol;

import org.apache.kafka.common.protocol.ApiKeys;

import java.net.InetSocketAddress;

/**
 * Where a request came from and what it is, for handlers. Immutable.
 *
 * @param connectionId     {@code local-remote} addresses of the connection, for log lines
 * @param listenerName     the listener the connection came in on (e.g. {@code PLAINTEXT}): Metadata answers with
 *                         the brokers' endpoints of that listener
 * @param securityProtocol the listener's security protocol (only {@code PLAINTEXT} so far)
 * @param clientAddress    the peer address
 * @param apiKey           the API
 * @param apiVersion       the request version
 * @param correlationId    the header's correlation id
 * @param clientId         the header's client id (may be null or empty)
 */
public record RequestContext(String connectionId, String listenerName, String securityProtocol,
                             InetSocketAddress clientAddress, ApiKeys apiKey, short apiVersion, int correlationId,
                             String clientId) {
    @Override
    public String toString() {
        return apiKey.name + " v" + apiVersion + " correlation " + correlationId + " from " + clientId + " on "
                + connectionId + " (" + listenerName + ")";
    }
}
