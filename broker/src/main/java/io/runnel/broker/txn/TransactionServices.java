package io.runnel.broker.txn;

import io.runnel.broker.group.ImageAwait;
import io.runnel.broker.producer.ProducerIdManager;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.image.MetadataImage;

import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A broker's transaction machinery, started and closed together: the {@link TransactionCoordinator}, its marker
 * sender and timer, the leader-side {@link TransactionVerifier}, the {@link TxnOffsetCommits} writer and (transactions
 * v2) the group coordinator's {@link TxnGroupAdds}.
 */
public final class TransactionServices implements AutoCloseable {
    /**
     * How long a partition leader waits for its image to show a partition added to a transaction when the
     * coordinator cannot be asked (ms).
     */
    static final long VERIFY_WAIT_MS = 2_000;
    /** Threads for blocking calls to other brokers (markers, verification). */
    static final int SENDER_THREADS = 8;
    /** Connect and response timeout of calls to other brokers (ms). */
    static final int REQUEST_TIMEOUT_MS = 10_000;
    private final TransactionCoordinator coordinator;
    private final TransactionVerifier verifier;
    private final TxnOffsetCommits offsetCommits;
    private final TxnGroupAdds groupAdds;
    private final TxnMarkerSender markers;
    private final ScheduledExecutorService timer;
    private final ExecutorService senders;

    private TransactionServices(TransactionCoordinator coordinator, TransactionVerifier verifier,
                                TxnOffsetCommits offsetCommits, TxnGroupAdds groupAdds, TxnMarkerSender markers,
                                ScheduledExecutorService timer, ExecutorService senders) {
        this.groupAdds = groupAdds;
        this.coordinator = coordinator;
        this.verifier = verifier;
        this.offsetCommits = offsetCommits;
        this.markers = markers;
        this.timer = timer;
        this.senders = senders;
    }

    /**
     * Starts the coordinator's timer.
     *
     * @param listenerName {@code inter.broker.listener.name}: where markers reach other leaders
     * @param placement    the broker coordinating a key (shared with the group coordinator)
     * @param imageWaitMs  how long a write waits for this broker's image to show it (ms)
     */
    public static TransactionServices start(int brokerId, TransactionConfig config, TransactionLog log,
                                            ImageAwait images, Supplier<MetadataImage> image,
                                            Function<String, OptionalInt> placement, ProducerIdManager producerIds,
                                            ReplicaManager replicas, String listenerName, LongSupplier clock,
                                            long imageWaitMs) {
        AtomicInteger n = new AtomicInteger();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r,
                "runnel-txn-coordinator-" + brokerId));
        ExecutorService senders = Executors.newFixedThreadPool(SENDER_THREADS, r -> daemon(r,
                "runnel-txn-sender-" + brokerId + "-" + n.incrementAndGet()));
        BrokerCalls calls = new BrokerCalls("runnel-txn-" + brokerId, listenerName, REQUEST_TIMEOUT_MS);
        TransactionCoordinator coordinator = new TransactionCoordinator(brokerId, config, log, images, image,
                placement, producerIds, clock, imageWaitMs);
        TxnMarkerSender markers = new TxnMarkerSender(brokerId, calls, replicas, image, timer, senders);
        coordinator.setMarkerSender(markers);
        new TransactionTimer(coordinator, timer).start();
        return new TransactionServices(coordinator, new TransactionVerifier(brokerId, images, image, placement, calls,
                senders, VERIFY_WAIT_MS, coordinator),
                new TxnOffsetCommits(log, images, clock, imageWaitMs),
                new TxnGroupAdds(brokerId, coordinator, image, placement, calls, senders), markers, timer, senders);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public TransactionCoordinator coordinator() {
        return coordinator;
    }

    public TransactionVerifier verifier() {
        return verifier;
    }

    public TxnOffsetCommits offsetCommits() {
        return offsetCommits;
    }

    /** Adds a consumer group to a transaction on the producer's behalf (transactions v2, TxnOffsetCommit v5). */
    public TxnGroupAdds groupAdds() {
        return groupAdds;
    }

    /** The coordinator's settings, {@code transaction.version} among them. */
    public TransactionConfig config() {
        return coordinator.config();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        senders.shutdownNow();
        try {
            senders.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        markers.close();
    }
}
