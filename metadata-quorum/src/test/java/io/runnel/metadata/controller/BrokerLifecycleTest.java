package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerFixtures.brokers;
import static io.runnel.metadata.controller.PartitionLeadershipTest.withPartition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.MetadataDelta;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.MetadataProvenance;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.record.MetadataRecordBatch;
import io.runnel.metadata.rpc.RegisterBrokerRequest;
import io.runnel.metadata.rpc.RegisterBrokerResponse;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BrokerLifecycleTest {
    private static RegisterBrokerRequest request(int id, UUID incarnation) {
        return RegisterBrokerRequest.newBuilder().setBrokerId(id).setIncarnationId(Uuids.toProto(incarnation))
                .build();
    }

    /** Replays records as the log entry at {@code index}. */
    private static MetadataImage entry(MetadataImage image, ControllerResult<?> r, long index) {
        MetadataDelta d = new MetadataDelta(image);
        d.replayEntry(MetadataRecordBatch.newBuilder().addAllRecords(r.records()).build(), index);
        return d.apply(new MetadataProvenance(1, index));
    }

    @Test
    void aNewBrokerRegistersFencedWithTheEntryIndexAsItsEpoch() {
        ControllerResult<RegisterBrokerResponse> r = BrokerLifecycle.register(brokers(1, 0), request(5,
                new UUID(1, 5)), false, Set.of(), false);
        MetadataImage after = entry(brokers(1, 0), r, 42);
        assertEquals(42, after.brokers().get(5).epoch());
        assertTrue(after.brokers().get(5).fenced());
    }

    @Test
    void theSameIncarnationAgainGetsItsEpochWithoutRecords() {
        ControllerResult<RegisterBrokerResponse> r = BrokerLifecycle.register(brokers(2, 0), request(2,
                new UUID(0, 2)), true, Set.of(), false);
        assertTrue(r.records().isEmpty());
        assertEquals(2, r.response().getBrokerEpoch());
    }

    @Test
    void anotherIncarnationIsRefusedWhileTheSessionLivesAndReplacesItOtherwise() {
        MetadataImage image = withPartition(List.of(2, 1), List.of(1, 2), 2);
        assertEquals(ErrorCode.DUPLICATE_BROKER_REGISTRATION.code(), BrokerLifecycle.register(image,
                request(2, new UUID(9, 9)), true, Set.of(), false).response().getErrorCode());
        ControllerResult<RegisterBrokerResponse> r = BrokerLifecycle.register(image, request(2, new UUID(9, 9)),
                false, Set.of(), false);
        MetadataImage after = entry(image, r, 50);
        assertEquals(50, after.brokers().get(2).epoch());
        assertTrue(after.brokers().get(2).fenced());
        // its old incarnation's leadership moved away in the same batch
        assertEquals(1, after.topicsByName().get("t").partition(0).leader());
    }

    @Test
    void clusterIdAndMalformedRequestsAreRejected() {
        assertEquals(ErrorCode.INCONSISTENT_CLUSTER_ID.code(), BrokerLifecycle.register(brokers(0, 0),
                request(1, new UUID(1, 1)).toBuilder().setClusterId("other").build(), false, Set.of(), false)
                .response().getErrorCode());
        assertEquals(ErrorCode.INVALID_REQUEST.code(), BrokerLifecycle.register(brokers(0, 0),
                request(1, new UUID(0, 0)), false, Set.of(), false).response().getErrorCode());
        assertEquals(ErrorCode.INVALID_REQUEST.code(), BrokerLifecycle.register(brokers(0, 0),
                request(-1, new UUID(1, 1)), false, Set.of(), false).response().getErrorCode());
    }

    @Test
    void epochChecks() {
        assertEquals(ErrorCode.NONE, BrokerLifecycle.checkEpoch(brokers(2, 0), 2, 2).error());
        assertEquals(ErrorCode.STALE_BROKER_EPOCH, BrokerLifecycle.checkEpoch(brokers(2, 0), 2, 1).error());
        assertEquals(ErrorCode.BROKER_ID_NOT_REGISTERED, BrokerLifecycle.checkEpoch(brokers(2, 0), 3, 3).error());
    }
}
