package io.runnel.broker.node;

import io.runnel.broker.replica.IsrProposal;
import io.runnel.broker.replica.IsrUpdater;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.rpc.AlterPartitionRequest;
import io.runnel.metadata.rpc.AlterPartitionResponse;
import org.apache.kafka.common.protocol.Errors;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Sends ISR proposals to the active controller as AlterPartition requests (KIP-497) with this broker's id and epoch
 * (KIP-631); the accepted change comes back through the metadata log. A request is bounded by {@value #CALL_TIMEOUT_MS}
 * ms (a proposal that failed is made again at the leader's next ISR check, so short calls fail over to a new active
 * controller sooner than one long call would); one that times out or fails answers REQUEST_TIMED_OUT, an
 * unregistered broker (epoch unknown) STALE_BROKER_EPOCH.
 */
final class ControllerIsrUpdater implements IsrUpdater {
    static final long CALL_TIMEOUT_MS = 5_000;
    private final ControllerClient controller;
    private final int brokerId;
    private final LongSupplier brokerEpoch;

    ControllerIsrUpdater(ControllerClient controller, int brokerId, LongSupplier brokerEpoch) {
        this.controller = controller;
        this.brokerId = brokerId;
        this.brokerEpoch = brokerEpoch;
    }

    @Override
    public CompletableFuture<Errors> alterIsr(TopicPartition tp, UUID topicId, IsrProposal proposal) {
        long epoch = brokerEpoch.getAsLong();
        if (epoch < 0) {
            return CompletableFuture.completedFuture(Errors.STALE_BROKER_EPOCH);
        }
        AlterPartitionRequest request = AlterPartitionRequest.newBuilder().setBrokerId(brokerId).setBrokerEpoch(epoch)
                .addPartitions(AlterPartitionRequest.Partition.newBuilder().setTopicId(Uuids.toProto(topicId))
                        .setPartition(tp.partition()).setLeaderEpoch(proposal.leaderEpoch())
                        .setPartitionEpoch(proposal.partitionEpoch()).addAllNewIsr(proposal.newIsr()))
                .build();
        return controller.alterPartition(request, Duration.ofMillis(CALL_TIMEOUT_MS)).handle((response, failure) -> {
            if (failure != null) {
                return Errors.REQUEST_TIMED_OUT;
            }
            if (response.getErrorCode() != 0) {
                return Errors.forCode((short) response.getErrorCode());
            }
            for (AlterPartitionResponse.Partition p : response.getPartitionsList()) {
                if (p.getPartition() == tp.partition()) {
                    return Errors.forCode((short) p.getErrorCode());
                }
            }
            return Errors.UNKNOWN_SERVER_ERROR;
        });
    }
}
