package io.runnel.metadata.active;

import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.rpc.BrokerHeartbeatRequest;
import io.runnel.metadata.rpc.BrokerHeartbeatResponse;
import io.runnel.metadata.rpc.RegisterBrokerRequest;
import io.runnel.metadata.rpc.RegisterBrokerResponse;
import io.runnel.metadata.record.BrokerEndpoint;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A broker as the controller sees it, in this JVM: it registers and heartbeats on a timer, reporting the metadata
 * offset a supplier gives (the image a real broker would have applied). {@link #pause()} stops the heartbeats, as a
 * SIGSTOPped broker would.
 */
final class SimulatedBroker implements AutoCloseable {
    final int id;
    private final ControllerClient client;
    private final LongSupplier appliedOffset;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulated-broker");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean paused;
    volatile long epoch = -1;
    volatile BrokerHeartbeatResponse last;

    SimulatedBroker(int id, ControllerClient client, LongSupplier appliedOffset) {
        this.id = id;
        this.client = client;
        this.appliedOffset = appliedOffset;
    }

    long register() throws Exception {
        RegisterBrokerResponse r = client.registerBroker(RegisterBrokerRequest.newBuilder().setBrokerId(id)
                .setIncarnationId(Uuids.toProto(UUID.randomUUID()))
                .addEndpoints(BrokerEndpoint.newBuilder().setListenerName("PLAINTEXT").setHost("127.0.0.1")
                        .setPort(9000 + id).setSecurityProtocol("PLAINTEXT")).build())
                .get(30, TimeUnit.SECONDS);
        if (r.getErrorCode() != 0) {
            throw new AssertionError("registration failed: " + r);
        }
        epoch = r.getBrokerEpoch();
        return epoch;
    }

    /** Registers, then heartbeats every {@code intervalMs}. */
    SimulatedBroker start(long intervalMs) throws Exception {
        register();
        timer.scheduleWithFixedDelay(this::beat, 0, intervalMs, TimeUnit.MILLISECONDS);
        return this;
    }

    private void beat() {
        if (paused) {
            return;
        }
        try {
            last = client.heartbeat(BrokerHeartbeatRequest.newBuilder().setBrokerId(id).setBrokerEpoch(epoch)
                    .setCurrentMetadataOffset(appliedOffset.getAsLong()).build(), Duration.ofSeconds(5))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the next beat tries again
        }
    }

    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
