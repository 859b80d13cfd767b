package io.runnel.broker.server;

import io.runnel.broker.group.GroupConfig;
import io.runnel.broker.txn.TransactionConfig;
import io.runnel.broker.network.ListenerConfig;
import io.runnel.broker.network.NetworkSettings;
import io.runnel.broker.replica.ReplicaSettings;
import io.runnel.broker.replication.FetcherSettings;

import java.util.List;
import java.util.Objects;

/**
 * Everything the broker role needs from the server configuration. The node wiring builds it from Kafka's keys.
 *
 * @param clusterId           the cluster id the metadata quorum reports
 * @param listeners           broker listeners to bind ({@code listeners} minus {@code controller.listener.names})
 * @param network             socket settings
 * @param replicas            {@code node.id}, {@code log.dirs}, log and topic defaults
 * @param ioThreads           {@code num.io.threads} (default 8): request-handler threads
 * @param controllerEndpoints {@code controller.listener.names} and {@code controller.quorum.voters}, reported by
 *                            DescribeQuorum v2
 * @param fetchers            how this broker's followers fetch ({@code inter.broker.listener.name},
 *                            {@code replica.fetch.*}, {@code num.replica.fetchers})
 * @param groups              the group coordinator's settings ({@code group.*}, {@code offsets.retention.*})
 * @param transactions        the transaction coordinator's settings ({@code transaction.*},
 *                            {@code transactional.id.expiration.ms})
 */
public record BrokerSettings(String clusterId, List<ListenerConfig> listeners, NetworkSettings network,
                             ReplicaSettings replicas, int ioThreads, ControllerEndpoints controllerEndpoints,
                             FetcherSettings fetchers, GroupConfig groups, TransactionConfig transactions) {
    public BrokerSettings {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(transactions, "transactions");
        Objects.requireNonNull(controllerEndpoints, "controllerEndpoints");
        Objects.requireNonNull(fetchers, "fetchers");
        Objects.requireNonNull(groups, "groups");
        listeners = List.copyOf(listeners);
        if (listeners.isEmpty() || ioThreads < 1) {
            throw new IllegalArgumentException("a broker needs at least one listener and one io thread");
        }
    }

    /**
     * Settings whose followers fetch with Kafka's defaults through the first listener, with Kafka's default group
     * coordinator settings ({@link GroupConfig#DEFAULT}) and transaction settings ({@link TransactionConfig#DEFAULTS}).
     */
    public BrokerSettings(String clusterId, List<ListenerConfig> listeners, NetworkSettings network,
                          ReplicaSettings replicas, int ioThreads, ControllerEndpoints controllerEndpoints) {
        this(clusterId, listeners, network, replicas, ioThreads, controllerEndpoints,
                FetcherSettings.defaults(replicas.brokerId(), listeners.get(0).name()), GroupConfig.DEFAULT,
                TransactionConfig.DEFAULTS);
    }

    /** Settings without controller endpoints ({@link ControllerEndpoints#NONE}). */
    public BrokerSettings(String clusterId, List<ListenerConfig> listeners, NetworkSettings network,
                          ReplicaSettings replicas, int ioThreads) {
        this(clusterId, listeners, network, replicas, ioThreads, ControllerEndpoints.NONE);
    }

    /** The broker id ({@code node.id}). */
    public int brokerId() {
        return replicas.brokerId();
    }
}
