package io.runnel.broker.txn;

import io.runnel.broker.group.ImageAwait;
import io.runnel.broker.producer.ProducerIdManager;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.image.TransactionState;
import io.runnel.metadata.image.TxnState;
import io.runnel.metadata.rpc.WriteTransactionRequest;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The transaction coordinator (KIP-98; transactions v1 and, when {@code transaction.version} is 2, transactions v2 of
 * KIP-890 part 2: EndTxn v5 bumps the producer epoch, partitions and groups are added by their leaders and group
 * coordinators on the producer's behalf; KIP-890 part 1's server-side partition verification for v1). A transactional id is coordinated by the broker the group placement names for it
 * (rendezvous hashing over live brokers); its state lives in the metadata log ({@link TransactionLog}), written by
 * compare-and-set on a per-id version, and is read back from this broker's image, which every write waits for. So a
 * coordinator that fails over hands over nothing but the image: the next one reads the same state.
 *
 * <p>Requests on one id run one after another. EndTxn answers once the decision (PrepareCommit / PrepareAbort) is in
 * the metadata log; the markers follow ({@link TxnMarkerSender}) and then CompleteCommit / CompleteAbort. Until then
 * the id's next request gets CONCURRENT_TRANSACTIONS (51), which clients retry. {@link TransactionTimer} aborts
 * transactions past their timeout, finishes prepared transactions whose coordinator died, and expires idle ids.
 *
 * <p>Errors, as Kafka: NOT_COORDINATOR (16), COORDINATOR_NOT_AVAILABLE (15, the metadata log could not be
 * written), INVALID_PRODUCER_ID_MAPPING (49), PRODUCER_FENCED (90; INVALID_PRODUCER_EPOCH 47 to requests older than
 * KIP-588's versions, chosen by the handlers), INVALID_TXN_STATE (48), CONCURRENT_TRANSACTIONS (51),
 * INVALID_TRANSACTION_TIMEOUT (50), UNKNOWN_TOPIC_OR_PARTITION (3) with OPERATION_NOT_ATTEMPTED (55).
 */
public final class TransactionCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinator.class);
    private final int localBrokerId;
    private final TransactionConfig config;
    private final TransactionLog log;
    private final ImageAwait images;
    private final Supplier<MetadataImage> image;
    private final Function<String, OptionalInt> placement;
    private final ProducerIdManager producerIds;
    private final LongSupplier clock;
    private final long imageWaitMs;
    private final Map<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();
    private final Set<String> completing = ConcurrentHashMap.newKeySet();
    private volatile TxnMarkerSender markers;

    /**
     * @param placement   the broker coordinating a key (the group coordinator's placement)
     * @param imageWaitMs how long a write waits for this broker's image to show it
     */
    public TransactionCoordinator(int localBrokerId, TransactionConfig config, TransactionLog log, ImageAwait images,
                                  Supplier<MetadataImage> image, Function<String, OptionalInt> placement,
                                  ProducerIdManager producerIds, LongSupplier clock, long imageWaitMs) {
        this.localBrokerId = localBrokerId;
        this.config = config;
        this.log = log;
        this.images = images;
        this.image = image;
        this.placement = placement;
        this.producerIds = producerIds;
        this.clock = clock;
        this.imageWaitMs = imageWaitMs;
    }

    void setMarkerSender(TxnMarkerSender sender) {
        this.markers = sender;
    }

    TransactionConfig config() {
        return config;
    }

    /** True when this broker coordinates {@code transactionalId} in its current image. */
    public boolean isCoordinator(String transactionalId) {
        OptionalInt c = placement.apply(transactionalId);
        return c.isPresent() && c.getAsInt() == localBrokerId;
    }

    /** The state of {@code transactionalId} in this broker's image, or null. */
    public TransactionState state(String transactionalId) {
        return image.get().transactions().get(transactionalId);
    }

    /** Every transaction this broker coordinates (ListTransactions), from its image. */
    public List<TransactionState> coordinated() {
        List<TransactionState> out = new ArrayList<>();
        image.get().transactions().values().forEach(t -> {
            if (isCoordinator(t.transactionalId())) {
                out.add(t);
            }
        });
        return out;
    }

    /**
     * InitProducerId with a transactional id (KIP-98, KIP-360): a new id gets a fresh producer id at epoch 0; a
     * known one gets its epoch bumped (a new producer id once the epoch is exhausted). An open transaction is aborted
     * first with the epoch fenced, and the caller is told CONCURRENT_TRANSACTIONS to retry.
     *
     * @param expectedProducerId -1, or (KIP-360) the producer id the client has
     * @param expectedEpoch      -1, or its epoch
     */
    public CompletableFuture<InitProducerIdResult> initProducerId(String id, int timeoutMs, long expectedProducerId,
                                                                  short expectedEpoch) {
        if (timeoutMs <= 0 || timeoutMs > config.maxTimeoutMs()) {
            return CompletableFuture.completedFuture(InitProducerIdResult.error(Errors.INVALID_TRANSACTION_TIMEOUT));
        }
        if (!isCoordinator(id)) {
            return CompletableFuture.completedFuture(InitProducerIdResult.error(Errors.NOT_COORDINATOR));
        }
        return serially(id, () -> {
            TransactionState cur = state(id);
            long now = clock.getAsLong();
            if (cur == null) {
                return producerIds.generateProducerId().thenCompose(pid -> write(null, Transitions.fresh(id, pid,
                        timeoutMs, now))).thenApply(t -> new InitProducerIdResult(Errors.NONE, t.producerId(),
                        (short) t.producerEpoch()));
            }
            if (expectedProducerId >= 0 && !(expectedProducerId == cur.producerId()
                    && expectedEpoch == cur.producerEpoch())) {
                return done(InitProducerIdResult.error(Errors.PRODUCER_FENCED));
            }
            if (Transitions.prepared(cur.state())) {
                return done(InitProducerIdResult.error(Errors.CONCURRENT_TRANSACTIONS));
            }
            if (cur.state() == TxnState.ONGOING) {
                return write(cur, Transitions.fenceAndAbort(cur, now)).thenApply(prepared -> {
                    finish(prepared);
                    return InitProducerIdResult.error(Errors.CONCURRENT_TRANSACTIONS);
                });
            }
            CompletableFuture<TransactionState> next = cur.producerEpoch() >= Short.MAX_VALUE - 1
                    ? producerIds.generateProducerId().thenApply(pid -> Transitions.newEpoch(cur, pid, 0, timeoutMs,
                    now))
                    : CompletableFuture.completedFuture(Transitions.newEpoch(cur, cur.producerId(),
                    cur.producerEpoch() + 1, timeoutMs, now));
            return next.thenCompose(n -> write(cur, n)).thenApply(t -> new InitProducerIdResult(Errors.NONE,
                    t.producerId(), (short) t.producerEpoch()));
        }).exceptionally(e -> InitProducerIdResult.error(errorOf(e)));
    }

    /**
     * AddPartitionsToTxn: opens the transaction or adds to it. From the producer (v0-3, transactions v1), or under
     * transactions v2 from a partition leader on a Produce v12 batch (AddPartitionsToTxn v5 or a local call).
     *
     * @param clientTransactionVersion the version a transaction opened here runs with (2 for leader-added
     *                                 partitions, else 1)
     * @return an error per partition: all NONE, or UNKNOWN_TOPIC_OR_PARTITION for unknown ones and
     *         OPERATION_NOT_ATTEMPTED for the rest, or one error for every partition
     */
    public CompletableFuture<Map<TopicPartition, Errors>> addPartitions(String id, long producerId, short epoch,
                                                                        Collection<TopicPartition> partitions,
                                                                        int clientTransactionVersion) {
        Map<TopicPartition, Errors> unknown = new LinkedHashMap<>();
        MetadataImage img = image.get();
        for (TopicPartition tp : partitions) {
            TopicImage t = img.topicsByName().get(tp.topic());
            if (t == null || t.partition(tp.partition()) == null) {
                unknown.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            }
        }
        if (!unknown.isEmpty()) {
            Map<TopicPartition, Errors> out = new LinkedHashMap<>();
            partitions.forEach(tp -> out.put(tp, unknown.getOrDefault(tp, Errors.OPERATION_NOT_ATTEMPTED)));
            return CompletableFuture.completedFuture(out);
        }
        return update(id, producerId, epoch, Set.copyOf(partitions), Set.of(), clientTransactionVersion)
                .thenApply(error -> {
            Map<TopicPartition, Errors> out = new LinkedHashMap<>();
            partitions.forEach(tp -> out.put(tp, error));
            return out;
        });
    }

    /**
     * AddOffsetsToTxn: the group's offsets join the transaction (its TxnOffsetCommits commit with it). From the
     * producer (transactions v1), or under v2 from the group's coordinator on a TxnOffsetCommit v5.
     *
     * @param clientTransactionVersion the version a transaction opened here runs with (2 or 1)
     */
    public CompletableFuture<Errors> addOffsets(String id, long producerId, short epoch, String groupId,
                                                int clientTransactionVersion) {
        return update(id, producerId, epoch, Set.of(), Set.of(groupId), clientTransactionVersion);
    }

    private CompletableFuture<Errors> update(String id, long producerId, short epoch, Set<TopicPartition> partitions,
                                             Set<String> groups, int clientTransactionVersion) {
        if (!isCoordinator(id)) {
            return done(Errors.NOT_COORDINATOR);
        }
        return serially(id, () -> {
            TransactionState cur = state(id);
            Errors error = checkProducer(cur, producerId, epoch);
            if (error != Errors.NONE) {
                return done(error);
            }
            if (Transitions.prepared(cur.state())) {
                return done(Errors.CONCURRENT_TRANSACTIONS);
            }
            if (cur.state() == TxnState.ONGOING && cur.partitions().containsAll(partitions)
                    && cur.groups().containsAll(groups)) {
                return done(Errors.NONE);
            }
            return write(cur, Transitions.ongoing(cur, partitions, groups, clientTransactionVersion,
                    clock.getAsLong()))
                    .thenApply(t -> Errors.NONE);
        }).exceptionally(TransactionCoordinator::errorOf);
    }

    /**
     * EndTxn: commits or aborts the open transaction; answers once the decision is durable ({@link EndTxnRules} for
     * retries and errors). With {@code clientTransactionVersion} 2 (EndTxn v5, KIP-890 part 2) the decision bumps
     * the producer epoch, the markers carry the bumped epoch, and the answer holds the producer id and epoch the
     * client continues with: a new producer id at epoch 0 when the epoch reached {@code Short.MAX_VALUE - 1}.
     *
     * @param clientTransactionVersion 2 for EndTxn v5, else 1
     */
    public CompletableFuture<EndTxnResult> endTxn(String id, long producerId, short epoch, boolean commit,
                                                  int clientTransactionVersion) {
        if (!isCoordinator(id)) {
            return done(EndTxnResult.error(Errors.NOT_COORDINATOR));
        }
        return serially(id, () -> {
            TransactionState cur = state(id);
            EndTxnResult answer = EndTxnRules.answer(cur, producerId, epoch, commit, clientTransactionVersion);
            if (answer != null) {
                return done(answer);
            }
            CompletableFuture<Long> nextProducerId = clientTransactionVersion >= 2
                    && cur.producerEpoch() >= Transitions.EPOCH_EXHAUSTED ? producerIds.generateProducerId()
                    : CompletableFuture.completedFuture(-1L);
            return nextProducerId.thenCompose(next -> write(cur, Transitions.prepare(cur, commit,
                    clientTransactionVersion, next, clock.getAsLong()))).thenApply(prepared -> {
                        finish(prepared);
                        return EndTxnResult.continueWith(prepared);
                    });
        }).exceptionally(e -> EndTxnResult.error(errorOf(e)));
    }

    /** The producer check every transactional request starts with; NONE when it holds. */
    static Errors checkProducer(TransactionState cur, long producerId, short epoch) {
        if (cur == null || cur.producerId() != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (epoch != cur.producerEpoch()) {
            return epoch < cur.producerEpoch() ? Errors.PRODUCER_FENCED : Errors.INVALID_PRODUCER_EPOCH;
        }
        return Errors.NONE;
    }

    /**
     * Writes the markers of a prepared transaction, then its completion. Runs once per id at a time on this broker;
     * a failure (the transaction moved on elsewhere, the metadata log unreachable) leaves it to the timer's next look.
     */
    void finish(TransactionState prepared) {
        String id = prepared.transactionalId();
        TxnMarkerSender sender = markers;
        if (sender == null || !completing.add(id)) {
            return;
        }
        sender.send(prepared, () -> isCoordinator(id) && sameVersion(id, prepared))
                .thenCompose(v -> serially(id, () -> {
                    TransactionState cur = state(id);
                    if (cur == null || cur.version() != prepared.version()) {
                        return done((TransactionState) null);
                    }
                    return write(cur, Transitions.complete(cur, clock.getAsLong()));
                }))
                .whenComplete((t, e) -> {
                    completing.remove(id);
                    if (e != null) {
                        LOG.info("Transaction {} of producer {} not completed here: {}", id, prepared.producerId(),
                                e.toString());
                    }
                });
    }

    /** True while a marker job for {@code id} runs on this broker. */
    boolean completing(String id) {
        return completing.contains(id);
    }

    private boolean sameVersion(String id, TransactionState prepared) {
        TransactionState cur = state(id);
        return cur != null && cur.version() == prepared.version();
    }

    /**
     * Writes {@code next} if the id is still at {@code cur}'s version, then waits until this broker's image shows
     * it. Fails with a {@link TxnException} carrying CONCURRENT_TRANSACTIONS when the version moved and
     * COORDINATOR_NOT_AVAILABLE when the metadata log or the image did not answer in time.
     */
    CompletableFuture<TransactionState> write(TransactionState cur, TransactionState next) {
        return writeRaw(cur, WriteTransactionRequest.newBuilder().setRecord(next.toRecord())
                .setExpectedVersion(cur == null ? 0 : cur.version()).build(), next.transactionalId());
    }

    /** Removes an expired id (transactional.id.expiration.ms) if it is still at {@code cur}'s version. */
    CompletableFuture<Void> remove(TransactionState cur) {
        return log.write(WriteTransactionRequest.newBuilder().setRecord(cur.toRecord())
                .setExpectedVersion(cur.version()).setRemove(true).build()).thenAccept(resp -> {
                    if (resp.getErrorCode() != 0) {
                        throw new TxnException(Errors.forCode((short) resp.getErrorCode()), resp.getErrorMessage());
                    }
                });
    }

    private CompletableFuture<TransactionState> writeRaw(TransactionState cur, WriteTransactionRequest req,
                                                         String id) {
        return log.write(req).handle((resp, e) -> {
            if (e != null) {
                throw new TxnException(Errors.COORDINATOR_NOT_AVAILABLE, "the metadata log could not be written: "
                        + e);
            }
            if (resp.getErrorCode() != 0) {
                throw new TxnException(Errors.forCode((short) resp.getErrorCode()), resp.getErrorMessage());
            }
            return resp.getVersion();
        }).thenCompose(version -> images.await(img -> {
            TransactionState t = img.transactions().get(id);
            return t != null && t.version() >= version;
        }, imageWaitMs).thenApply(seen -> {
            if (!seen) {
                throw new TxnException(Errors.COORDINATOR_NOT_AVAILABLE, "this broker's image did not reach version "
                        + version + " of " + id + " within " + imageWaitMs + " ms");
            }
            return state(id);
        }));
    }

    /** Runs {@code op} after every earlier operation on {@code id} on this broker has finished. */
    <T> CompletableFuture<T> serially(String id, Supplier<CompletableFuture<T>> op) {
        CompletableFuture<T> next;
        synchronized (tails) {
            CompletableFuture<?> prev = tails.getOrDefault(id, CompletableFuture.completedFuture(null));
            next = prev.handle((r, e) -> null).thenCompose(x -> {
                try {
                    return op.get();
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                }
            });
            tails.put(id, next);
        }
        CompletableFuture<T> registered = next;
        next.whenComplete((r, e) -> tails.remove(id, registered));
        return next;
    }

    long now() {
        return clock.getAsLong();
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    static Errors errorOf(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof TxnException t) {
            return t.error();
        }
        LOG.warn("Transaction coordinator request failed", cause);
        return Errors.COORDINATOR_NOT_AVAILABLE;
    }
}
