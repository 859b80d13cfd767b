package io.runnel.metadata.active;

import io.runnel.metadata.controller.BrokerLifecycle;
import io.runnel.metadata.controller.ControllerResult;
import io.runnel.metadata.controller.PartitionLeadership;
import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.quorum.MetadataStateMachine;
import io.runnel.metadata.quorum.QuorumIntrospection.Observer;
import io.runnel.metadata.record.MetadataApplyReply;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.rpc.BrokerHeartbeatRequest;
import io.runnel.metadata.rpc.BrokerHeartbeatResponse;
import io.runnel.metadata.rpc.ControlledShutdownRequest;
import io.runnel.metadata.rpc.ControlledShutdownResponse;
import io.runnel.metadata.rpc.RegisterBrokerRequest;
import io.runnel.metadata.rpc.RegisterBrokerResponse;
import io.runnel.metadata.rpc.UnregisterBrokerRequest;
import io.runnel.metadata.rpc.UnregisterBrokerResponse;
import io.runnel.metadata.record.UnregisterBrokerRecord;
import io.runnel.metadata.errors.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broker lifecycle on the active controller (KIP-631): registration, heartbeats as soft state ({@link
 * BrokerSessions}), unfencing once a broker has applied the log up to its registration, fencing after {@code
 * broker.session.timeout.ms} without a heartbeat, controlled shutdown, and periodic preferred-leader election. All
 * methods except {@link #recordArrival} run on the controller thread.
 */
final class BrokerLifecycleManager {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerLifecycleManager.class);

    private final MetadataStateMachine sm;
    private final ControllerWriter writer;
    private final ControllerConfig config;
    private final BrokerSessions sessions;
    private final LongSupplier nanos;

    BrokerLifecycleManager(MetadataStateMachine sm, ControllerWriter writer, ControllerConfig config,
                           BrokerSessions sessions, LongSupplier nanos) {
        this.sm = sm;
        this.writer = writer;
        this.config = config;
        this.sessions = sessions;
        this.nanos = nanos;
    }

    /** A heartbeat arrived (any thread): it extends the session if it names the current registration. */
    void recordArrival(BrokerHeartbeatRequest r) {
        BrokerRegistration b = sm.image().brokers().get(r.getBrokerId());
        if (b != null && b.epoch() == r.getBrokerEpoch()) {
            sessions.touch(r.getBrokerId(), nanos.getAsLong(), r.getCurrentMetadataOffset());
        }
    }

    RegisterBrokerResponse register(RegisterBrokerRequest r) {
        long now = nanos.getAsLong();
        ControllerResult<RegisterBrokerResponse> result = BrokerLifecycle.register(sm.image(), r,
                sessions.isAlive(r.getBrokerId(), now), sessions.shuttingDown(), config.uncleanLeaderElection());
        if (result.records().isEmpty()) {
            return result.response();
        }
        MetadataApplyReply applied = writer.write(result.records());
        sessions.register(r.getBrokerId(), nanos.getAsLong());
        LOG.info("Registered broker {} (incarnation {}) with epoch {}", r.getBrokerId(),
                Uuids.fromProto(r.getIncarnationId()), applied.getIndex());
        return result.response().toBuilder().setBrokerEpoch(applied.getIndex()).build();
    }

    BrokerHeartbeatResponse heartbeat(BrokerHeartbeatRequest r) {
        int id = r.getBrokerId();
        MetadataImage image = sm.image();
        ApiError e = BrokerLifecycle.checkEpoch(image, id, r.getBrokerEpoch());
        if (!e.isSuccess()) {
            return BrokerHeartbeatResponse.newBuilder().setErrorCode(e.error().code()).setErrorMessage(e.message())
                    .setIsFenced(true).build();
        }
        sessions.touch(id, nanos.getAsLong(), r.getCurrentMetadataOffset());
        BrokerRegistration b = image.brokers().get(id);
        boolean caughtUp = r.getCurrentMetadataOffset() >= b.epoch();
        BrokerHeartbeatResponse.Builder out = BrokerHeartbeatResponse.newBuilder().setIsCaughtUp(caughtUp);
        if (r.getWantShutDown()) {
            shutDown(id);
            return out.setIsFenced(true).setShouldShutDown(true).build();
        }
        if (r.getWantFence()) {
            if (!b.fenced()) {
                fence(id, "it asked to be fenced");
            }
            return out.setIsFenced(true).build();
        }
        if (b.fenced() && caughtUp && !sessions.shuttingDown().contains(id)) {
            writer.write(BrokerLifecycle.unfence(image, id, sessions.shuttingDown(), config.uncleanLeaderElection()));
            LOG.info("Unfenced broker {} (epoch {}, caught up to {})", id, b.epoch(), r.getCurrentMetadataOffset());
        }
        BrokerRegistration now = sm.image().brokers().get(id);
        return out.setIsFenced(now == null || now.fenced()).build();
    }

    ControlledShutdownResponse controlledShutdown(ControlledShutdownRequest r) {
        ApiError e = BrokerLifecycle.checkEpoch(sm.image(), r.getBrokerId(), r.getBrokerEpoch());
        if (!e.isSuccess()) {
            return ControlledShutdownResponse.newBuilder().setErrorCode(e.error().code())
                    .setErrorMessage(e.message()).build();
        }
        shutDown(r.getBrokerId());
        return ControlledShutdownResponse.getDefaultInstance();
    }

    /**
     * UnregisterBroker (API key 64): removes the registration of a broker that is gone. BROKER_ID_NOT_REGISTERED
     * for an unknown id; INVALID_REQUEST while the broker still heartbeats (it would register again at once: stop
     * it first). Its replicas stay assigned until reassigned.
     */
    UnregisterBrokerResponse unregister(UnregisterBrokerRequest r) {
        int id = r.getBrokerId();
        BrokerRegistration b = sm.image().brokers().get(id);
        if (b == null) {
            return UnregisterBrokerResponse.newBuilder().setErrorCode(ErrorCode.BROKER_ID_NOT_REGISTERED.code())
                    .setErrorMessage("Broker " + id + " is not registered").build();
        }
        if (sessions.isAlive(id, nanos.getAsLong()) && !b.fenced()) {
            return UnregisterBrokerResponse.newBuilder().setErrorCode(ErrorCode.INVALID_REQUEST.code())
                    .setErrorMessage("Broker " + id + " is still active (unfenced, heartbeating): stop it before "
                            + "unregistering it, or it registers again at once").build();
        }
        writer.write(List.of(MetadataRecord.newBuilder().setUnregisterBroker(UnregisterBrokerRecord.newBuilder()
                .setBrokerId(id).setBrokerEpoch(b.epoch())).build()));
        sessions.forget(id);
        LOG.info("Unregistered broker {} (epoch {})", id, b.epoch());
        return UnregisterBrokerResponse.getDefaultInstance();
    }

    /** Controlled shutdown: leadership moves away and the broker leaves ISRs, in the batch that fences it. */
    private void shutDown(int id) {
        sessions.markShuttingDown(id, nanos.getAsLong());
        MetadataImage image = sm.image();
        List<MetadataRecord> records = BrokerLifecycle.fence(image, id, sessions.shuttingDown(),
                config.uncleanLeaderElection());
        if (!image.brokers().get(id).fenced() || records.size() > 1) {
            writer.write(records);
            LOG.info("Broker {} is in controlled shutdown: moved {} partition(s) and fenced it", id,
                    records.size() - 1);
        }
    }

    private void fence(int id, String why) {
        List<MetadataRecord> records = BrokerLifecycle.fence(sm.image(), id, sessions.shuttingDown(),
                config.uncleanLeaderElection());
        writer.write(records);
        LOG.info("Fenced broker {} because {}: {} partition change(s)", id, why, records.size() - 1);
    }

    /** Fences every unfenced broker whose session expired. */
    void expireSessions() {
        long now = nanos.getAsLong();
        for (BrokerRegistration b : new TreeMap<>(sm.image().brokers()).values()) {
            if (!b.fenced() && !sessions.isAlive(b.id(), now)) {
                fence(b.id(), "no heartbeat for " + sessions.sinceLastContactNs(b.id(), now) / 1_000_000
                        + " ms (broker.session.timeout.ms=" + config.sessionTimeoutMs() + ")");
            }
        }
    }

    /** Preferred-leader election ({@code auto.leader.rebalance.enable}). */
    void rebalance() {
        MetadataImage image = sm.image();
        List<MetadataRecord> records = PartitionLeadership.electPreferred(image,
                PartitionLeadership.alive(image, sessions.shuttingDown()));
        if (!records.isEmpty()) {
            writer.write(records);
            LOG.info("Moved leadership of {} partition(s) back to their preferred replica", records.size());
        }
    }

    /** Brokers in controlled shutdown: ineligible for leadership and ISRs. */
    Set<Integer> shuttingDown() {
        return sessions.shuttingDown();
    }

    /** Registered brokers that are not voters, for DescribeQuorum. */
    List<Observer> observers(Set<Integer> voters, long wallNowMs) {
        MetadataImage image = sm.image();
        long now = nanos.getAsLong();
        List<Observer> out = new ArrayList<>();
        for (int id : new TreeMap<>(image.brokers()).keySet()) {
            long since = sessions.sinceLastContactNs(id, now);
            if (!voters.contains(id) && since >= 0) {
                long offset = sessions.metadataOffset(id);
                out.add(new Observer(id, offset, wallNowMs - since / 1_000_000,
                        offset >= image.provenance().index()));
            }
        }
        return out;
    }
}
