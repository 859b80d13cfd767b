package io.runnel.broker.network;

/**
 * Socket server settings, named after Kafka's broker keys.
 *
 * @param maxRequestBytes          {@code socket.request.max.bytes} (default 104857600): a larger frame closes the
 *                                 connection
 * @param networkThreads           {@code num.network.threads} (default 3): netty event loops for connections
 * @param sendBufferBytes          {@code socket.send.buffer.bytes} (default 102400), -1 for the OS default
 * @param receiveBufferBytes       {@code socket.receive.buffer.bytes} (default 102400), -1 for the OS default
 * @param maxInFlightPerConnection requests read from one connection but not yet answered before reading pauses
 */
public record NetworkSettings(int maxRequestBytes, int networkThreads, int sendBufferBytes, int receiveBufferBytes,
                              int maxInFlightPerConnection) {
    /** Kafka's defaults, and 32 requests in flight per connection. */
    public static final NetworkSettings DEFAULT = new NetworkSettings(104_857_600, 3, 102_400, 102_400, 32);

    public NetworkSettings {
        if (maxRequestBytes < 8 || networkThreads < 1 || maxInFlightPerConnection < 1) {
            throw new IllegalArgumentException("invalid network settings: " + maxRequestBytes + " max request bytes, "
                    + networkThreads + " network threads, " + maxInFlightPerConnection + " in flight");
        }
    }
}
