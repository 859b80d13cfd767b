package io.runnel.broker.server;

import io.runnel.broker.metadata.TopicAutoCreator;
import io.runnel.broker.producer.ProducerIdSource;
import io.runnel.broker.replica.IsrUpdater;
import io.runnel.metadata.client.ControllerClient;

import java.util.Objects;

/**
 * What the broker needs from the controller side and the node configuration, supplied by the node wiring.
 *
 * @param producerIds   blocks of producer ids for InitProducerId; in production from the active controller through
 *                      the metadata log (KIP-730)
 * @param autoCreator   requests topic creation for {@code auto.create.topics.enable}; null when disabled
 * @param controller    reaches the active controller for CreateTopics, DeleteTopics, CreatePartitions,
 *                      IncrementalAlterConfigs and DescribeQuorum (KIP-590: brokers forward admin requests);
 *                      the broker does not close it
 * @param brokerConfigs the broker's static configuration for DescribeConfigs of a BROKER resource
 * @param isrUpdater    sends partition leaders' ISR changes to the controller (AlterPartition, KIP-497)
 */
public record BrokerHooks(ProducerIdSource producerIds, TopicAutoCreator autoCreator, ControllerClient controller,
                          BrokerConfigSource brokerConfigs, IsrUpdater isrUpdater) {
    public BrokerHooks {
        Objects.requireNonNull(producerIds, "producerIds");
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(brokerConfigs, "brokerConfigs");
        Objects.requireNonNull(isrUpdater, "isrUpdater");
    }

    /** Hooks whose partition leaders never change their ISR ({@link IsrUpdater#NONE}): single-broker tests. */
    public BrokerHooks(ProducerIdSource producerIds, TopicAutoCreator autoCreator, ControllerClient controller,
                       BrokerConfigSource brokerConfigs) {
        this(producerIds, autoCreator, controller, brokerConfigs, IsrUpdater.NONE);
    }
}
