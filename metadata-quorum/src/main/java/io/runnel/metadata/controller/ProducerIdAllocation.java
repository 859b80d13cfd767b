package io.runnel.metadata.controller;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.ProducerIdsRecord;
import io.runnel.metadata.rpc.AllocateProducerIdsRequest;
import io.runnel.metadata.rpc.AllocateProducerIdsResponse;
import java.util.List;

/**
 * AllocateProducerIds (API key 67; KIP-730): the next {@link #BLOCK_SIZE} ids starting at the image's next unclaimed
 * producer id, claimed by one ProducerIdsRecord. Blocks never overlap: each starts where the previous ended, and
 * replay rejects a record that does not move the next id forward. Errors: BROKER_ID_NOT_REGISTERED (102),
 * STALE_BROKER_EPOCH (77), UNKNOWN_SERVER_ERROR (-1) when the id space is exhausted.
 */
public final class ProducerIdAllocation {
    /** Ids per block (Kafka's {@code ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE}). */
    public static final int BLOCK_SIZE = 1000;

    private ProducerIdAllocation() {
    }

    public static ControllerResult<AllocateProducerIdsResponse> allocate(MetadataImage image,
                                                                         AllocateProducerIdsRequest req) {
        ApiError e = BrokerLifecycle.checkEpoch(image, req.getBrokerId(), req.getBrokerEpoch());
        long start = image.nextProducerId();
        if (e.isSuccess() && start > Long.MAX_VALUE - BLOCK_SIZE) {
            e = ApiError.of(ErrorCode.UNKNOWN_SERVER_ERROR, "Producer ids are exhausted");
        }
        if (!e.isSuccess()) {
            return new ControllerResult<>(List.of(), AllocateProducerIdsResponse.newBuilder()
                    .setErrorCode(e.error().code()).setErrorMessage(e.message()).setProducerIdStart(-1).build());
        }
        MetadataRecord r = MetadataRecord.newBuilder().setProducerIds(ProducerIdsRecord.newBuilder()
                .setBrokerId(req.getBrokerId()).setBrokerEpoch(req.getBrokerEpoch())
                .setNextProducerId(start + BLOCK_SIZE)).build();
        return new ControllerResult<>(List.of(r), AllocateProducerIdsResponse.newBuilder().setProducerIdStart(start)
                .setProducerIdLen(BLOCK_SIZE).build());
    }
}
