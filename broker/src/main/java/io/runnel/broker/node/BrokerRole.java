package io.runnel.broker.node;

import io.runnel.broker.config.Endpoint;
import io.runnel.broker.config.ServerConfig;
import io.runnel.broker.group.GroupConfig;
import io.runnel.broker.txn.TransactionConfig;
import io.runnel.broker.network.ListenerConfig;
import io.runnel.broker.network.NetworkSettings;
import io.runnel.broker.record.TimestampRules;
import io.runnel.broker.replica.PartitionSettings;
import io.runnel.broker.replica.ReplicaSettings;
import io.runnel.broker.replication.FetcherSettings;
import io.runnel.broker.server.BrokerConfigSource;
import io.runnel.broker.server.BrokerHooks;
import io.runnel.broker.server.BrokerServer;
import io.runnel.broker.server.BrokerSettings;
import io.runnel.broker.server.ControllerEndpoints;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.quorum.MetadataListener;
import io.runnel.metadata.quorum.MetadataSource;
import io.runnel.metadata.quorum.QuorumConfig;
import io.runnel.log.cleaner.CleanerConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The broker role of a node: the Kafka protocol server fed by the node's metadata images (the local voter's state
 * machine on a combined node, a fetching follower on a broker-only node), registered with the active controller and
 * heartbeating (KIP-631). Built from Kafka's server keys.
 */
final class BrokerRole implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BrokerRole.class);
    private final BrokerServer server;
    private final BrokerLifecycle lifecycle;
    private final MetadataSource metadata;
    private final MetadataListener listener;
    private final List<String> bound;

    private BrokerRole(BrokerServer server, BrokerLifecycle lifecycle, MetadataSource metadata,
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
     * @param metadata where the images the broker serves come from; its applied offset goes into heartbeats
     */
    static BrokerRole start(ServerConfig config, String clusterId, MetadataSource metadata,
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
        PartitionSettings defaults = new PartitionSettings(config.logConfig(), new TimestampRules(
                PartitionSettings.parseTimestampType(config.getString("log.message.timestamp.type")),
                config.getLong("log.message.timestamp.before.max.ms"),
                config.getLong("log.message.timestamp.after.max.ms")), config.getInt("min.insync.replicas"));
        ReplicaSettings replicas = new ReplicaSettings(config.nodeId(), config.logDirs(), defaults,
                config.getLong("replica.high.watermark.checkpoint.interval.ms"),
                config.getLong("log.retention.check.interval.ms"), config.getLong("replica.lag.time.max.ms"),
                new CleanerConfig(config.logCleanerEnable(), config.logCleanerThreads(),
                        config.logCleanerDedupeBufferSize(), config.logCleanerIoBufferLoadFactor(),
                        config.logCleanerIoMaxBytesPerSecond(), config.logCleanerBackoffMs()));
        FetcherSettings fetchers = new FetcherSettings(config.nodeId(),
                config.getString("inter.broker.listener.name"), config.getInt("num.replica.fetchers"),
                config.getInt("replica.fetch.max.bytes"), config.getInt("replica.fetch.response.max.bytes"),
                config.getInt("replica.fetch.wait.max.ms"), config.getInt("replica.fetch.min.bytes"),
                config.getInt("replica.fetch.backoff.ms"), config.getInt("replica.socket.timeout.ms"));
        List<String> controllerNames = config.getList("controller.listener.names");
        ControllerEndpoints controllerEndpoints = new ControllerEndpoints(controllerNames.get(0),
                config.getList("controller.quorum.voters").isEmpty() ? List.of() // joined: DescribeQuorum's live set
                        : QuorumConfig.parseVoters(String.join(",", config.getList("controller.quorum.voters"))));
        BrokerSettings settings = new BrokerSettings(clusterId, listeners, network, replicas,
                config.getInt("num.io.threads"), controllerEndpoints, fetchers, groupConfig(config),
                new TransactionConfig(config.getInt("transaction.max.timeout.ms"),
                        config.getLong("transactional.id.expiration.ms"),
                        config.getLong("transaction.abort.timed.out.transaction.cleanup.interval.ms"),
                        config.getLong("transaction.remove.expired.transaction.cleanup.interval.ms"),
                        config.getInt("transaction.version")));

        BrokerLifecycle[] lifecycleRef = new BrokerLifecycle[1];
        LongSupplier brokerEpoch = () -> lifecycleRef[0] == null ? -1L : lifecycleRef[0].brokerEpoch();
        BrokerHooks hooks = new BrokerHooks(
                new ControllerProducerIds(controller, config.nodeId(), brokerEpoch),
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
                }, new ControllerIsrUpdater(controller, config.nodeId(), brokerEpoch));
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
        BrokerLifecycle lifecycle = new BrokerLifecycle(config.nodeId(), clusterId, config.rack(), advertised,
                protocols, controller, metadata::appliedOffset,
                Duration.ofMillis(config.getInt("broker.heartbeat.interval.ms")),
                Duration.ofMillis(config.getInt("broker.session.timeout.ms")));
        lifecycleRef[0] = lifecycle;
        lifecycle.onFirstUnfence(() -> {
            publisher.open();
            LOG.info("Broker {} is unfenced: serving metadata and partitions from the image at offset {}",
                    config.nodeId(), metadata.appliedOffset());
        });
        lifecycle.start();
        return new BrokerRole(server, lifecycle, metadata, listener, List.copyOf(bound));
    }

    /**
     * Hands images to the server in log order (the subscription and the first publish may race), but only once the
     * controller has unfenced this broker: a (re)started broker's local image may be stale, e.g. still naming it
     * leader of partitions that moved while it was down, so until its metadata has caught up with its registration it
     * hosts no partitions and reports no topics, as Kafka's broker does not serve before it is unfenced.
     */
    private static final class ImagePublisher {
        private final BrokerServer server;
        private long lastIndex = Long.MIN_VALUE;
        private io.runnel.metadata.image.MetadataImage latest;
        private boolean open;

        ImagePublisher(BrokerServer server) {
            this.server = server;
        }

        synchronized void publish(io.runnel.metadata.image.MetadataImage image) {
            if (latest == null || image.provenance().index() > latest.provenance().index()) {
                latest = image;
            }
            deliver();
        }

        /** From now on images reach the server, starting with the latest one. */
        synchronized void open() {
            open = true;
            deliver();
        }

        private void deliver() {
            if (open && latest != null && latest.provenance().index() > lastIndex) {
                lastIndex = latest.provenance().index();
                server.publish(latest);
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
