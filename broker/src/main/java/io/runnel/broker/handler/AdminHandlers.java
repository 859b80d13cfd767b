package io.runnel.broker.handler;

import io.runnel.broker.metadata.MetadataCache;
import io.runnel.broker.server.BrokerConfigSource;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.quorum.QuorumVoter;

import java.util.List;

/**
 * The handlers of the admin APIs that reach the active controller or describe configuration: CreateTopics,
 * DeleteTopics, CreatePartitions, AlterPartitionReassignments, ListPartitionReassignments, DescribeConfigs,
 * IncrementalAlterConfigs and DescribeQuorum, sharing one
 * {@link ImageWaiter} and one topic-config describer.
 */
public final class AdminHandlers {
    private AdminHandlers() {
    }

    /**
     * @param controller         reaches the active controller (not closed by the handlers)
     * @param brokerConfigs      this broker's static configuration (DescribeConfigs, topic defaults)
     * @param controllerListener the first of {@code controller.listener.names}, for DescribeQuorum v2
     * @param voters             {@code controller.quorum.voters}, for DescribeQuorum v2; may be empty
     */
    public static List<ApiHandler> create(MetadataCache cache, ImageWaiter images, ControllerClient controller,
                                          BrokerConfigSource brokerConfigs, String controllerListener,
                                          List<QuorumVoter> voters) {
        TopicConfigDescriber topicConfigs = new TopicConfigDescriber(brokerConfigs);
        return List.of(
                new CreateTopicsHandler(controller, images, topicConfigs),
                new DeleteTopicsHandler(controller, images),
                new CreatePartitionsHandler(controller, images),
                new AlterPartitionReassignmentsHandler(controller, images),
                new ListPartitionReassignmentsHandler(cache),
                new DescribeConfigsHandler(cache, topicConfigs, new BrokerConfigDescriber(brokerConfigs)),
                new IncrementalAlterConfigsHandler(controller, images),
                new DescribeQuorumHandler(controller, controllerListener, voters));
    }
}
