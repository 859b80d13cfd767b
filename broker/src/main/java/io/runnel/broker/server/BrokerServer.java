package io.runnel.broker.server;

import io.runnel.broker.handler.AdminHandlers;
import io.runnel.broker.handler.AddRaftVoterHandler;
import io.runnel.broker.handler.RemoveRaftVoterHandler;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.broker.handler.ApiRouter;
import io.runnel.broker.handler.ApiVersionsHandler;
import io.runnel.broker.handler.DescribeClusterHandler;
import io.runnel.broker.handler.DescribeLogDirsHandler;
import io.runnel.broker.handler.ElectLeadersHandler;
import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.OffsetLog;
import io.runnel.broker.handler.TransactionHandlers;
import io.runnel.broker.txn.TransactionCoordinator;
import io.runnel.broker.txn.TransactionLog;
import io.runnel.broker.txn.TransactionServices;
import io.runnel.broker.handler.FetchHandler;
import io.runnel.broker.handler.GroupHandlers;
import io.runnel.broker.handler.ImageWaiter;
import io.runnel.broker.handler.InitProducerIdHandler;
import io.runnel.broker.handler.DeleteRecordsHandler;
import io.runnel.broker.handler.ListOffsetsHandler;
import io.runnel.broker.handler.MetadataHandler;
import io.runnel.broker.handler.ProduceHandler;
import io.runnel.broker.metadata.MetadataCache;
import io.runnel.broker.network.SocketServer;
import io.runnel.broker.producer.ProducerIdManager;
import io.runnel.broker.protocol.ApiVersionTable;
import io.runnel.broker.protocol.RequestDecoder;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.replication.ReplicaFetcherManager;
import io.runnel.metadata.image.MetadataImage;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The broker role assembled: replica manager, metadata cache, one handler per API, the request router and the
 * socket server. The node wiring starts it, then feeds every new metadata image to {@link #publish}. Admin requests
 * (CreateTopics, DeleteTopics, CreatePartitions, IncrementalAlterConfigs, DescribeQuorum) are forwarded to the active
 * controller through {@link BrokerHooks#controller()}, which the node wiring owns and closes. The group coordinator
 * (consumer groups, committed offsets in the metadata log through the same controller client) serves the group APIs.
 *
 * <p>Thread-safe; {@link #close()} is idempotent and stops the listeners first, then the handlers, then the logs.
 */
public final class BrokerServer implements AutoCloseable {
    private final ReplicaManager replicas;
    private final MetadataCache metadata;
    private final ExecutorService handlerPool;
    private final SocketServer sockets;
    private final ApiVersionTable versions;
    private final ImageWaiter imageWaiter;
    private final GroupCoordinator groups;
    private final TransactionServices txns;
    private boolean closed;

    private BrokerServer(ReplicaManager replicas, MetadataCache metadata, ImageWaiter imageWaiter,
                         GroupCoordinator groups, TransactionServices txns, ExecutorService handlerPool,
                         SocketServer sockets, ApiVersionTable versions) {
        this.txns = txns;
        this.replicas = replicas;
        this.metadata = metadata;
        this.imageWaiter = imageWaiter;
        this.groups = groups;
        this.handlerPool = handlerPool;
        this.sockets = sockets;
        this.versions = versions;
    }

    /**
     * Opens the log directories and binds the listeners. Until the first {@link #publish}, the broker knows no
     * topics and no brokers.
     *
     * @throws IllegalStateException when a listener cannot be bound
     */
    public static BrokerServer start(BrokerSettings settings, BrokerHooks hooks) {
        ReplicaManager replicas = new ReplicaManager(settings.replicas(), settings.clusterId(),
                System::currentTimeMillis, hooks.isrUpdater());
        replicas.setFollowerFetching(new ReplicaFetcherManager(settings.fetchers(), replicas::partition,
                replicas.replicationQuotas().follower()));
        MetadataCache metadata = new MetadataCache(settings.brokerId(), settings.clusterId());
        ImageWaiter imageWaiter = new ImageWaiter(metadata);
        ControllerEndpoints controllers = settings.controllerEndpoints();
        long imageWaitMs = Math.min(hooks.controller().requestTimeout().toMillis(), 10_000);
        GroupCoordinator groups = new GroupCoordinator(settings.brokerId(), settings.groups(),
                OffsetLog.of(hooks.controller()), imageWaiter::await, () -> metadata.current().image(),
                System::currentTimeMillis, imageWaitMs);
        ProducerIdManager producerIds = new ProducerIdManager(hooks.producerIds());
        TransactionServices txns = TransactionServices.start(settings.brokerId(), settings.transactions(),
                TransactionLog.of(hooks.controller()), imageWaiter::await, () -> metadata.current().image(),
                groups::coordinatorOf, producerIds, replicas, settings.fetchers().listenerName(),
                System::currentTimeMillis, imageWaitMs);
        List<ApiHandler> handlers = new ArrayList<>(List.of(
                new MetadataHandler(metadata, hooks.autoCreator()),
                new DescribeClusterHandler(metadata),
                new ProduceHandler(replicas, txns.verifier(), settings.transactions().transactionsV2()),
                new FetchHandler(replicas),
                new ListOffsetsHandler(replicas),
                new DeleteRecordsHandler(replicas),
                new DescribeLogDirsHandler(settings.replicas().logDirs(), replicas),
                new InitProducerIdHandler(producerIds, txns.coordinator())));
        handlers.addAll(TransactionHandlers.create(txns, groups, replicas, () -> metadata.current().image()));
        handlers.addAll(AdminHandlers.create(metadata, imageWaiter, hooks.controller(), hooks.brokerConfigs(),
                controllers.listenerName(), controllers.voters()));
        // controller quorum membership (KIP-853), forwarded to the active controller
        handlers.add(new AddRaftVoterHandler(hooks.controller(), settings.clusterId(), controllers.listenerName()));
        handlers.add(new RemoveRaftVoterHandler(hooks.controller(), settings.clusterId()));
        handlers.addAll(GroupHandlers.create(groups, metadata));
        handlers.add(new ElectLeadersHandler(hooks.controller(), imageWaiter));
        handlers.add(new io.runnel.broker.handler.UnregisterBrokerHandler(hooks.controller(), imageWaiter));
        Set<ApiKeys> apis = EnumSet.noneOf(ApiKeys.class);
        handlers.forEach(h -> apis.add(h.apiKey()));
        ApiVersionTable table = ApiVersionTable.forApis(apis, settings.transactions().transactionVersion());
        handlers.add(new ApiVersionsHandler(table));
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(settings.ioThreads(), settings.ioThreads(), 60,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "runnel-request-handler-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ApiRouter router = new ApiRouter(handlers);
        try {
            SocketServer sockets = SocketServer.start(settings.listeners(), settings.network(),
                    new RequestDecoder(table), router, pool);
            return new BrokerServer(replicas, metadata, imageWaiter, groups, txns, pool, sockets, table);
        } catch (RuntimeException e) {
            txns.close();
            groups.close();
            pool.shutdownNow();
            replicas.close();
            throw e;
        }
    }

    /**
     * Makes {@code image} current: the replica manager hosts what it assigns first, then handlers see it, so a
     * client that learns of a new leader finds its partition ready.
     */
    public void publish(MetadataImage image) {
        replicas.applyImage(image);
        metadata.update(image);
        groups.onImage(metadata.current().image());
        imageWaiter.published();
    }

    /** The port a listener is bound to. */
    public int boundPort(String listenerName) {
        return sockets.boundPort(listenerName);
    }

    /** The replica manager (tests, metrics). */
    public ReplicaManager replicaManager() {
        return replicas;
    }

    /** The metadata the handlers answer from. */
    public MetadataCache metadataCache() {
        return metadata;
    }

    /** The group coordinator (tests). */
    public GroupCoordinator groupCoordinator() {
        return groups;
    }

    /** The transaction coordinator (tests). */
    public TransactionCoordinator transactionCoordinator() {
        return txns.coordinator();
    }

    /** The versions advertised. */
    public ApiVersionTable apiVersions() {
        return versions;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sockets.close();
        txns.close();
        groups.close();
        handlerPool.shutdown();
        try {
            if (!handlerPool.awaitTermination(5, TimeUnit.SECONDS)) {
                handlerPool.shutdownNow();
            }
        } catch (InterruptedException e) {
            handlerPool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        replicas.close();
    }
}
