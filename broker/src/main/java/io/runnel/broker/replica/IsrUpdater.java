package io.runnel.broker.replica;

import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Sends a partition leader's ISR proposal to the active controller (AlterPartition, KIP-497). */
@FunctionalInterface
public interface IsrUpdater {
    /** Never updates: for a broker without a controller (tests); proposals fail with NOT_CONTROLLER. */
    IsrUpdater NONE = (tp, topicId, proposal) -> CompletableFuture.completedFuture(Errors.NOT_CONTROLLER);

    /**
     * @return NONE once the controller accepted the change (it reaches this broker through the next images), else the
     *         controller's error for the partition: FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION, INELIGIBLE_REPLICA,
     *         NOT_LEADER_OR_FOLLOWER, NOT_CONTROLLER, STALE_BROKER_EPOCH, REQUEST_TIMED_OUT...
     */
    CompletableFuture<Errors> alterIsr(TopicPartition tp, UUID topicId, IsrProposal proposal);
}
