package io.runnel.broker.node;

import io.runnel.broker.config.Endpoint;
import io.runnel.broker.config.ServerConfig;
import io.runnel.broker.group.GroupConfig;
import io.runnel.broker.network.ListenerConfig;
import io.runnel.broker.network.NetworkSettings;
import io.runnel.broker.record.TimestampRules;
import io.runnel.broker.replica.PartitionSettings;
import io.runnel.broker.replica.ReplicaSettings;
import io.runnel.broker.server.BrokerConfigSource;
import io.runnel.broker.server.BrokerHooks;
import io.runnel.broker.server.BrokerServer;
import io.runnel.broker.server.BrokerSettings;
import io.runnel.broker.server.ControllerEndpoints;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.quorum.MetadataListener;
import io.runnel.metadata.quorum.QuorumConfig;
import io.runnel.metadata.quorum.MetadataStateMachine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker role of a node: the Kafka protocol server fed by the local metadata image, registered with the active
 * controller and heartbeating (KIP-631). Built from Kafka's server keys.
 */
final class BrokerRole implements AutoCloseable {
    private final BrokerServer server;
    private final BrokerLifecycle lifecycle;
    private final MetadataStateMachine metadata;
    private final MetadataListener listener;
    private final List<String> bound;

    private BrokerRole(BrokerServer server, BrokerLifecycle lifecycle, MetadataStateMachine metadata,
                       MetadataListener listener, List<String> bound) {
        this.server = server;
        this.lifecycle = lifecycle;
        this.metadata = metadata;
        this.listener = listener;
        this.bound = bound;
    }

    /**
     * Binds the broker listeners, subscribes to the local image and starts registering with the controller.
     *
     * @param metadata the local voter's state machine, whose images the broker serves
     */
    static BrokerRole start(ServerConfig config, String clusterId, MetadataStateMachine metadata,
                            ControllerClient controller) {
        Map<String, String> protocols = securityProtocols(config);
        List<ListenerConfig> listeners = new ArrayList<>();
        for (Endpoint e : config.brokerListeners()) {
            listeners.add(new ListenerConfig(e.listenerName(), e.host(), e.port(),
                    protocols.getOrDefault(e.listenerName(), "PLAINTEXT")));
        }
        NetworkSettings network = new NetworkSettings(config.getInt("socket.request.max.bytes"),
                config.getInt("num.network.threads"), config.getInt("socket.send.buffer.bytes"),
                config.getInt("socket.receive.buffer.bytes"), NetworkSettings.DEFAULT.maxInFlightPerConnection());
        PartitionSettings defaults = new PartitionSettings(config.logConfig(), TimestampRules.DEFAULT,
                config.getInt("min.insync.replicas")).with(Map.of(PartitionSettings.MESSAGE_TIMESTAMP_TYPE,
                config.getString("log.message.timestamp.type")));
        ReplicaSettings replicas = new ReplicaSettings(config.nodeId(), config.logDirs(), defaults,
                config.getLong("replica.high.watermark.checkpoint.interval.ms"),
                config.getLong("log.retention.check.interval.ms"));
        List<String> controllerNames = config.getList("controller.listener.names");
        ControllerEndpoints controllerEndpoints = new ControllerEndpoints(controllerNames.get(0),
                QuorumConfig.parseVoters(String.join(",", config.getList("controller.quorum.voters"))));
        BrokerSettings settings = new BrokerSettings(clusterId, listeners, network, replicas,
                config.getInt("num.io.threads"), controllerEndpoints, groupConfig(config));

        BrokerLifecycle[] lifecycleRef = new BrokerLifecycle[1];
        BrokerHooks hooks = new BrokerHooks(
                new ControllerProducerIds(controller, config.nodeId(), () -> lifecycleRef[0].brokerEpoch()),
                config.getBoolean("auto.create.topics.enable") ? new ControllerTopicAutoCreator(controller) : null,
                controller, new BrokerConfigSource() {
                    @Override
                    public Map<String, String> brokerConfigs() {
                        return config.effectiveValues();
                    }

                    @Override
                    public boolean explicitlyConfigured(String key) {
                        return config.originals().containsKey(key);
                    }
                });
        BrokerServer server = BrokerServer.start(settings, hooks);
        ImagePublisher publisher = new ImagePublisher(server);
        MetadataListener listener = (previous, next) -> publisher.publish(next);
        metadata.addListener(listener);
        publisher.publish(metadata.image());

        List<Endpoint> advertised = new ArrayList<>();
        List<String> bound = new ArrayList<>();
        for (Endpoint e : config.brokerListeners()) {
            int port = server.boundPort(e.listenerName());
            bound.add(e.listenerName() + "://" + e.host() + ":" + port + " (broker " + config.nodeId() + ")");
        }
        for (Endpoint e : config.advertisedListeners()) {
            advertised.add(e.port() == 0 ? new Endpoint(e.listenerName(), e.host(),
                    server.boundPort(e.listenerName())) : e);
        }
        BrokerLifecycle lifecycle = new BrokerLifecycle(config.nodeId(), clusterId, advertised, protocols, controller,
                () -> metadata.image().provenance().index(),
                Duration.ofMillis(config.getInt("broker.heartbeat.interval.ms")));
        lifecycleRef[0] = lifecycle;
        lifecycle.start();
        return new BrokerRole(server, lifecycle, metadata, listener, List.copyOf(bound));
    }

    /** Hands images to the server in log order: the subscription and the first publish may race. */
    private static final class ImagePublisher {
        private final BrokerServer server;
        private long lastIndex = Long.MIN_VALUE;

        ImagePublisher(BrokerServer server) {
            this.server = server;
        }

        synchronized void publish(io.runnel.metadata.image.MetadataImage image) {
            if (image.provenance().index() > lastIndex) {
                lastIndex = image.provenance().index();
                server.publish(image);
            }
        }
    }

    private static GroupConfig groupConfig(ServerConfig config) {
        return new GroupConfig(config.getInt("group.initial.rebalance.delay.ms"),
                config.getInt("group.min.session.timeout.ms"), config.getInt("group.max.session.timeout.ms"),
                config.getInt("group.max.size"), config.getInt("offsets.retention.minutes") * 60_000L,
                config.getLong("offsets.retention.check.interval.ms"), GroupConfig.DEFAULT.newMemberJoinTimeoutMs());
    }

    private static Map<String, String> securityProtocols(ServerConfig config) {
        Map<String, String> map = new HashMap<>();
        for (String entry : config.getList("listener.security.protocol.map")) {
            int colon = entry.indexOf(':');
            if (colon > 0) {
                map.put(entry.substring(0, colon).trim().toUpperCase(java.util.Locale.ROOT),
                        entry.substring(colon + 1).trim());
            }
        }
        return map;
    }

    /** One line per bound broker listener, with the port actually bound. */
    List<String> boundListeners() {
        return bound;
    }

    BrokerServer server() {
        return server;
    }

    BrokerLifecycle lifecycle() {
        return lifecycle;
    }

    /** Controlled shutdown first (leadership moves away), then the server and its logs. */
    @Override
    public void close() {
        lifecycle.close();
        metadata.removeListener(listener);
        server.close();
    }
}
