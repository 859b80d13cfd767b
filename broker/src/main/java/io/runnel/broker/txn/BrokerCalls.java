package io.runnel.broker.txn;

import io.runnel.broker.replication.BrokerChannel;
import io.runnel.metadata.image.BrokerEndpoint;
import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.MetadataImage;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests from this broker to another one on the inter-broker listener (the transaction coordinator's
 * WriteTxnMarkers, a partition leader's AddPartitionsToTxn verification): a few blocking Kafka-framed connections per
 * destination ({@link BrokerChannel}), used round-robin, each carrying one request at a time. Callers run on their
 * own executor. Thread-safe.
 */
final class BrokerCalls implements AutoCloseable {
    static final int CHANNELS_PER_BROKER = 4;
    private final String clientId;
    private final String listenerName;
    private final int timeoutMs;
    private final Map<Integer, BrokerChannel[]> channels = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param listenerName {@code inter.broker.listener.name}
     * @param timeoutMs    connect and response timeout (ms)
     */
    BrokerCalls(String clientId, String listenerName, int timeoutMs) {
        this.clientId = clientId;
        this.listenerName = listenerName;
        this.timeoutMs = timeoutMs;
    }

    /**
     * Sends {@code request} to broker {@code brokerId} at its endpoint in {@code image} and waits for the answer.
     *
     * @throws IOException when the broker has no endpoint on the listener, or on a network error or timeout
     */
    AbstractResponse call(MetadataImage image, int brokerId, AbstractRequest request) throws IOException {
        BrokerEndpoint endpoint = endpoint(image, brokerId);
        if (endpoint == null) {
            throw new IOException("broker " + brokerId + " has no " + listenerName + " endpoint");
        }
        BrokerChannel[] pool = channels.computeIfAbsent(brokerId, id -> {
            BrokerChannel[] p = new BrokerChannel[CHANNELS_PER_BROKER];
            for (int i = 0; i < p.length; i++) {
                p[i] = new BrokerChannel(clientId, 1 << 20);
            }
            return p;
        });
        BrokerChannel channel = pool[Math.floorMod(next.getAndIncrement(), pool.length)];
        synchronized (channel) {
            try {
                if (!channel.connectedTo(endpoint.host(), endpoint.port())) {
                    channel.connect(endpoint.host(), endpoint.port(), timeoutMs);
                }
                return channel.send(request, timeoutMs);
            } catch (IOException | RuntimeException e) {
                channel.close(); // whatever failed, the next call on this channel connects afresh
                throw e;
            }
        }
    }

    private BrokerEndpoint endpoint(MetadataImage img, int brokerId) {
        BrokerRegistration b = img.brokers().get(brokerId);
        if (b == null) {
            return null;
        }
        for (BrokerEndpoint e : b.endpoints()) {
            if (e.listenerName().equalsIgnoreCase(listenerName)) {
                return e;
            }
        }
        return null;
    }

    @Override
    public void close() {
        channels.values().forEach(pool -> {
            for (BrokerChannel c : pool) {
                c.close();
            }
        });
        channels.clear();
    }
}
