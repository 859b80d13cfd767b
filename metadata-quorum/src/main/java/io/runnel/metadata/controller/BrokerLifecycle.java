package io.runnel.metadata.controller;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.RegisterBrokerRecord;
import io.runnel.metadata.rpc.RegisterBrokerRequest;
import io.runnel.metadata.rpc.RegisterBrokerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntPredicate;

/**
 * The records of a broker's life (KIP-631): registration (fenced, with the broker epoch = the log index of the
 * registration, filled in at replay), unfencing once caught up, fencing on session expiry or request, and controlled
 * shutdown (leadership moves away and the broker leaves ISRs in the same batch that fences it). Pure functions;
 * {@code leaving} names brokers that must not be elected (controlled shutdown in progress).
 */
public final class BrokerLifecycle {
    private BrokerLifecycle() {
    }

    /** NONE, BROKER_ID_NOT_REGISTERED (102) or STALE_BROKER_EPOCH (77). */
    public static ApiError checkEpoch(MetadataImage image, int brokerId, long epoch) {
        BrokerRegistration b = image.brokers().get(brokerId);
        if (b == null) {
            return ApiError.of(ErrorCode.BROKER_ID_NOT_REGISTERED, "Broker " + brokerId + " is not registered");
        }
        if (b.epoch() != epoch) {
            return ApiError.of(ErrorCode.STALE_BROKER_EPOCH, "Broker " + brokerId + " has epoch " + b.epoch()
                    + ", the request carries " + epoch);
        }
        return ApiError.NONE;
    }

    /** FenceBroker plus the ISR removals and elections for partitions it leads or follows in sync. */
    public static List<MetadataRecord> fence(MetadataImage image, int brokerId, Set<Integer> leaving,
                                             boolean uncleanDefault) {
        BrokerRegistration b = image.brokers().get(brokerId);
        List<MetadataRecord> out = new ArrayList<>(PartitionLeadership.brokerLeaving(image, brokerId,
                PartitionLeadership.alive(image, leaving), uncleanDefault));
        out.add(Records.fence(brokerId, b.epoch()));
        return out;
    }

    /** UnfenceBroker plus leaders for offline partitions it can now lead. */
    public static List<MetadataRecord> unfence(MetadataImage image, int brokerId, Set<Integer> leaving,
                                               boolean uncleanDefault) {
        BrokerRegistration b = image.brokers().get(brokerId);
        IntPredicate others = PartitionLeadership.alive(image, leaving);
        List<MetadataRecord> out = new ArrayList<>();
        out.add(Records.unfence(brokerId, b.epoch()));
        out.addAll(PartitionLeadership.electOffline(image, id -> id == brokerId || others.test(id), uncleanDefault));
        return out;
    }

    /**
     * BrokerRegistration. Errors: INCONSISTENT_CLUSTER_ID (104); INVALID_REQUEST (42) for a negative id, a zero
     * incarnation id or a malformed endpoint; DUPLICATE_BROKER_REGISTRATION (101) when another incarnation of the id
     * is unfenced and its session alive. The same incarnation again answers its current epoch without records. A
     * new incarnation replacing an unfenced one first moves leadership away from it. The response's epoch is -1:
     * the caller fills in the log index the batch is written at.
     *
     * @param previousSessionAlive whether the id's current registration heartbeated within the session timeout
     */
    public static ControllerResult<RegisterBrokerResponse> register(MetadataImage image, RegisterBrokerRequest req,
            boolean previousSessionAlive, Set<Integer> leaving, boolean uncleanDefault) {
        ApiError error = validate(image, req);
        if (!error.isSuccess()) {
            return new ControllerResult<>(List.of(), failed(error));
        }
        BrokerRegistration existing = image.brokers().get(req.getBrokerId());
        UUID incarnation = Uuids.fromProto(req.getIncarnationId());
        if (existing != null && existing.incarnationId().equals(incarnation)) {
            return new ControllerResult<>(List.of(), RegisterBrokerResponse.newBuilder()
                    .setBrokerEpoch(existing.epoch()).build());
        }
        if (existing != null && !existing.fenced() && previousSessionAlive) {
            return new ControllerResult<>(List.of(), failed(ApiError.of(ErrorCode.DUPLICATE_BROKER_REGISTRATION,
                    "Another broker is registered with that broker id (" + req.getBrokerId() + ", incarnation "
                            + existing.incarnationId() + ") and its session has not expired")));
        }
        List<MetadataRecord> records = new ArrayList<>();
        if (existing != null && !existing.fenced()) {
            records.addAll(PartitionLeadership.brokerLeaving(image, req.getBrokerId(),
                    PartitionLeadership.alive(image, leaving), uncleanDefault));
        }
        RegisterBrokerRecord.Builder r = RegisterBrokerRecord.newBuilder().setBrokerId(req.getBrokerId())
                .setIncarnationId(req.getIncarnationId()).setBrokerEpoch(-1).addAllEndpoints(req.getEndpointsList())
                .setFenced(true);
        if (req.hasRack()) {
            r.setRack(req.getRack());
        }
        records.add(MetadataRecord.newBuilder().setRegisterBroker(r).build());
        return new ControllerResult<>(records, RegisterBrokerResponse.newBuilder().setBrokerEpoch(-1).build());
    }

    private static ApiError validate(MetadataImage image, RegisterBrokerRequest req) {
        if (!req.getClusterId().isEmpty() && !req.getClusterId().equals(image.clusterId())) {
            return ApiError.of(ErrorCode.INCONSISTENT_CLUSTER_ID, "Expected cluster id " + image.clusterId()
                    + ", but the broker sent " + req.getClusterId());
        }
        if (req.getBrokerId() < 0) {
            return ApiError.of(ErrorCode.INVALID_REQUEST, "Broker id must be non-negative: " + req.getBrokerId());
        }
        UUID incarnation = Uuids.fromProto(req.getIncarnationId());
        if (incarnation.getMostSignificantBits() == 0 && incarnation.getLeastSignificantBits() == 0) {
            return ApiError.of(ErrorCode.INVALID_REQUEST, "Incarnation id must not be zero");
        }
        for (var e : req.getEndpointsList()) {
            if (e.getListenerName().isEmpty() || e.getHost().isEmpty() || e.getPort() < 1 || e.getPort() > 65535) {
                return ApiError.of(ErrorCode.INVALID_REQUEST, "Invalid endpoint " + e.getListenerName() + "://"
                        + e.getHost() + ":" + e.getPort());
            }
        }
        return ApiError.NONE;
    }

    private static RegisterBrokerResponse failed(ApiError e) {
        return RegisterBrokerResponse.newBuilder().setErrorCode(e.error().code())
                .setErrorMessage(String.valueOf(e.message())).setBrokerEpoch(-1).build();
    }
}
