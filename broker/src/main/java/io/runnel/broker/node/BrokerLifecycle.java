package io.runnel.broker.node;

import io.runnel.broker.config.Endpoint;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.record.BrokerEndpoint;
import io.runnel.metadata.record.Uuid;
import io.runnel.metadata.rpc.BrokerHeartbeatRequest;
import io.runnel.metadata.rpc.BrokerHeartbeatResponse;
import io.runnel.metadata.rpc.RegisterBrokerRequest;
import io.runnel.metadata.rpc.RegisterBrokerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The broker's side of KRaft's broker lifecycle (KIP-631): registers with the active controller under a new
 * incarnation id, then heartbeats every {@code broker.heartbeat.interval.ms} with the index of the last metadata entry
 * it has applied. The controller unfences it once that index reaches its registration, and fences it when heartbeats
 * stop for {@code broker.session.timeout.ms}. A stale epoch (another registration of this id) re-registers. On close
 * it asks for a controlled shutdown so leadership moves away before the process stops.
 *
 * <p>Thread model: one scheduler thread sends every request; state is published through volatile fields.
 */
public final class BrokerLifecycle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerLifecycle.class);
    private final int brokerId;
    private final String clusterId;
    private final Optional<String> rack;
    private final List<BrokerEndpoint> endpoints;
    private final ControllerClient controller;
    private final LongSupplier appliedMetadataOffset;
    private final long intervalMs;
    private final long shutdownTimeoutMs;
    private final ScheduledExecutorService scheduler;
    private final UUID incarnationId = UUID.randomUUID();
    private volatile long brokerEpoch = -1;
    private volatile boolean fenced = true;
    private volatile boolean closed;
    private volatile Runnable onFirstUnfence = () -> { };
    private boolean everUnfenced;

    /**
     * @param rack                  {@code broker.rack} (KIP-36), sent with every registration
     * @param advertised            the endpoints clients and followers connect to
     * @param securityProtocols     listener name to security protocol ({@code listener.security.protocol.map})
     * @param appliedMetadataOffset the index of the last metadata log entry this node has applied
     * @param sessionTimeout        {@code broker.session.timeout.ms}: controlled shutdown waits no longer, since the
     *                              controller fences a silent broker after it anyway
     */
    public BrokerLifecycle(int brokerId, String clusterId, Optional<String> rack, List<Endpoint> advertised,
                           Map<String, String> securityProtocols, ControllerClient controller,
                           LongSupplier appliedMetadataOffset, Duration heartbeatInterval, Duration sessionTimeout) {
        this.brokerId = brokerId;
        this.clusterId = clusterId;
        this.rack = rack;
        this.endpoints = advertised.stream().map(e -> BrokerEndpoint.newBuilder().setListenerName(e.listenerName())
                .setHost(e.host()).setPort(e.port())
                .setSecurityProtocol(securityProtocols.getOrDefault(e.listenerName(), "PLAINTEXT")).build()).toList();
        this.controller = controller;
        this.appliedMetadataOffset = appliedMetadataOffset;
        this.intervalMs = heartbeatInterval.toMillis();
        this.shutdownTimeoutMs = Math.min(sessionTimeout.toMillis(), controller.requestTimeout().toMillis());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "broker-lifecycle-" + brokerId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts registering and heartbeating in the background. */
    public void start() {
        scheduler.scheduleWithFixedDelay(this::tick, 0, intervalMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code action} once, on the lifecycle thread, the first time the controller unfences this broker (KIP-631:
     * its metadata caught up with its registration). Set before {@link #start()}.
     */
    public void onFirstUnfence(Runnable action) {
        this.onFirstUnfence = action;
    }

    /** The epoch of the current registration, or -1 before it is accepted. */
    public long brokerEpoch() {
        return brokerEpoch;
    }

    /** False once the controller has unfenced this broker (it may then lead partitions). */
    public boolean isFenced() {
        return fenced;
    }

    private void tick() {
        if (closed) {
            return;
        }
        try {
            if (brokerEpoch < 0) {
                register();
            } else {
                heartbeat();
            }
        } catch (Exception e) {
            LOG.debug("Broker {} could not reach the controller: {}", brokerId, e.getMessage());
        }
    }

    private void register() throws Exception {
        RegisterBrokerRequest.Builder req = RegisterBrokerRequest.newBuilder()
                .setBrokerId(brokerId).setClusterId(clusterId).addAllEndpoints(endpoints)
                .setIncarnationId(Uuid.newBuilder().setMostSignificantBits(incarnationId.getMostSignificantBits())
                        .setLeastSignificantBits(incarnationId.getLeastSignificantBits()));
        rack.ifPresent(req::setRack);
        RegisterBrokerResponse r = controller.registerBroker(req.build())
                .get(controller.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (r.getErrorCode() != 0) {
            LOG.warn("Broker {} registration refused: {} {}", brokerId, ErrorCode.forCode((short) r.getErrorCode()),
                    r.getErrorMessage());
            return;
        }
        brokerEpoch = r.getBrokerEpoch();
        LOG.info("Registered broker {} with epoch {}", brokerId, brokerEpoch);
        heartbeat();
    }

    private void heartbeat() throws Exception {
        BrokerHeartbeatResponse r = controller.heartbeat(BrokerHeartbeatRequest.newBuilder().setBrokerId(brokerId)
                        .setBrokerEpoch(brokerEpoch).setCurrentMetadataOffset(appliedMetadataOffset.getAsLong()).build(),
                Duration.ofMillis(Math.max(intervalMs, 1000)))
                .get(Math.max(intervalMs, 1000) + 1000, TimeUnit.MILLISECONDS);
        ErrorCode error = ErrorCode.forCode((short) r.getErrorCode());
        if (error == ErrorCode.STALE_BROKER_EPOCH || error == ErrorCode.BROKER_ID_NOT_REGISTERED) {
            LOG.warn("Broker {} must register again: {}", brokerId, r.getErrorMessage());
            brokerEpoch = -1;
            fenced = true;
            return;
        }
        if (error == ErrorCode.NONE && fenced != r.getIsFenced()) {
            fenced = r.getIsFenced();
            LOG.info("Broker {} is now {}", brokerId, fenced ? "fenced" : "unfenced");
            if (!fenced && !everUnfenced) {
                everUnfenced = true;
                onFirstUnfence.run();
            }
        }
    }

    /**
     * Controlled shutdown (bounded by the session timeout and the controller client's request timeout: without a
     * quorum, e.g. the last nodes of a cluster stopping, it gives up), then stops heartbeating. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        long epoch = brokerEpoch;
        if (epoch >= 0) {
            try {
                controller.controlledShutdown(brokerId, epoch).get(shutdownTimeoutMs, TimeUnit.MILLISECONDS);
                LOG.info("Controlled shutdown of broker {} done", brokerId);
            } catch (Exception e) {
                LOG.warn("Controlled shutdown of broker {} failed: {}", brokerId, e.getMessage());
            }
        }
    }
}
