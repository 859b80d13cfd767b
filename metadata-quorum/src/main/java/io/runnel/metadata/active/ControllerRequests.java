package io.runnel.metadata.active;

import io.runnel.metadata.controller.ConfigAlteration;
import io.runnel.metadata.controller.ControllerResult;
import io.runnel.metadata.controller.CreateTopicResult;
import io.runnel.metadata.controller.CreateTopicsMessages;
import io.runnel.metadata.controller.IsrChanges;
import io.runnel.metadata.controller.LeaderElection;
import io.runnel.metadata.controller.OffsetCommits;
import io.runnel.metadata.controller.PartitionCreation;
import io.runnel.metadata.controller.PartitionReassignment;
import io.runnel.metadata.controller.ProducerIdAllocation;
import io.runnel.metadata.controller.TopicCreation;
import io.runnel.metadata.controller.TopicDeletion;
import io.runnel.metadata.controller.TransactionWrites;
import io.runnel.metadata.controller.TxnOffsetCommits;
import io.runnel.metadata.errors.ControllerApiException;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.quorum.MetadataStateMachine;
import io.runnel.metadata.rpc.ControllerRequest;
import io.runnel.metadata.rpc.ControllerResponse;
import io.runnel.metadata.rpc.CreateTopicsRequest;
import io.runnel.metadata.rpc.CreateTopicsResponse;
import java.util.List;
import java.util.UUID;

/**
 * Runs one controller request on the controller thread: the pure decision function of {@code
 * io.runnel.metadata.controller} against the latest applied image, then (if it produced records) one write, then the
 * response. Requests run one at a time and each write is applied before the next request is decided, so every
 * decision sees the effect of all earlier ones; replay re-checks each batch in case anything else wrote in between.
 */
final class ControllerRequests {
    private final MetadataStateMachine sm;
    private final ControllerWriter writer;
    private final ControllerConfig config;
    private final BrokerLifecycleManager lifecycle;

    ControllerRequests(MetadataStateMachine sm, ControllerWriter writer, ControllerConfig config,
                       BrokerLifecycleManager lifecycle) {
        this.sm = sm;
        this.writer = writer;
        this.config = config;
        this.lifecycle = lifecycle;
    }

    /** The response; whole-request failures ({@link ControllerApiException}) propagate to the caller. */
    ControllerResponse process(ControllerRequest req) {
        ControllerResponse.Builder out = ControllerResponse.newBuilder();
        switch (req.getRequestCase()) {
            case CREATE_TOPICS -> out.setCreateTopics(createTopics(req.getCreateTopics()));
            case DELETE_TOPICS -> out.setDeleteTopics(write(TopicDeletion.deleteTopics(sm.image(),
                    req.getDeleteTopics(), config.deleteTopicEnable())));
            case CREATE_PARTITIONS -> out.setCreatePartitions(write(PartitionCreation.createPartitions(sm.image(),
                    req.getCreatePartitions())));
            case INCREMENTAL_ALTER_CONFIGS -> out.setIncrementalAlterConfigs(write(ConfigAlteration.alter(
                    sm.image(), req.getIncrementalAlterConfigs())));
            case ALTER_PARTITION -> out.setAlterPartition(write(IsrChanges.alterPartition(sm.image(),
                    req.getAlterPartition(), lifecycle.shuttingDown())));
            case ELECT_LEADERS -> out.setElectLeaders(write(LeaderElection.elect(sm.image(), req.getElectLeaders(),
                    lifecycle.shuttingDown())));
            case ALLOCATE_PRODUCER_IDS -> out.setAllocateProducerIds(write(ProducerIdAllocation.allocate(sm.image(),
                    req.getAllocateProducerIds())));
            case COMMIT_OFFSETS -> out.setCommitOffsets(write(OffsetCommits.commit(sm.image(),
                    req.getCommitOffsets(), config.offsetMetadataMaxBytes())));
            case DELETE_OFFSETS -> out.setDeleteOffsets(write(OffsetCommits.delete(sm.image(),
                    req.getDeleteOffsets())));
            case WRITE_TRANSACTION -> out.setWriteTransaction(write(TransactionWrites.write(sm.image(),
                    req.getWriteTransaction())));
            case TXN_OFFSET_COMMIT -> out.setTxnOffsetCommit(write(TxnOffsetCommits.commit(sm.image(),
                    req.getTxnOffsetCommit(), config.offsetMetadataMaxBytes())));
            case ALTER_PARTITION_REASSIGNMENTS -> out.setAlterPartitionReassignments(write(
                    PartitionReassignment.alter(sm.image(), req.getAlterPartitionReassignments())));
            case REGISTER_BROKER -> out.setRegisterBroker(lifecycle.register(req.getRegisterBroker()));
            case BROKER_HEARTBEAT -> out.setBrokerHeartbeat(lifecycle.heartbeat(req.getBrokerHeartbeat()));
            case UNREGISTER_BROKER -> out.setUnregisterBroker(lifecycle.unregister(req.getUnregisterBroker()));
            case CONTROLLED_SHUTDOWN -> out.setControlledShutdown(lifecycle.controlledShutdown(
                    req.getControlledShutdown()));
            default -> throw new ControllerApiException(ErrorCode.INVALID_REQUEST, "Unsupported controller request "
                    + req.getRequestCase());
        }
        return out.build();
    }

    private CreateTopicsResponse createTopics(CreateTopicsRequest r) {
        ControllerResult<List<CreateTopicResult>> result = TopicCreation.createTopics(sm.image(),
                CreateTopicsMessages.fromRequest(r), config.defaultPartitions(), config.defaultReplicationFactor(),
                UUID::randomUUID, r.getValidateOnly());
        return CreateTopicsMessages.toResponse(write(result));
    }

    private <T> T write(ControllerResult<T> result) {
        if (!result.records().isEmpty()) {
            writer.write(result.records());
        }
        return result.response();
    }
}
