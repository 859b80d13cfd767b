package io.runnel.broker.txn;

import io.runnel.broker.group.ImageAwait;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.image.TransactionState;
import io.runnel.metadata.image.TxnState;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Server-side partition verification (KIP-890 part 1) for a partition leader about to append a producer's first
 * transactional batch of a transaction: the coordinator's state must show the partition in that producer's ongoing
 * transaction at that epoch. This broker's image is asked first (every broker's image holds every transaction); when
 * it does not show the partition yet, the coordinator is asked with AddPartitionsToTxn v4 {@code verify_only}, as
 * Kafka's leaders do: it answered the producer's AddPartitionsToTxn only once its own image held the change, while
 * this broker's image may trail it. If the coordinator cannot be asked (it is
 * this broker, it is unreachable, or it disowns the id), the image is waited on for a little while instead.
 *
 * <p>Transactions v2 (KIP-890 part 2; a Produce v12 batch while {@code transaction.version} is 2): the producer sent
 * no AddPartitionsToTxn, so the leader <em>adds</em> the partition instead of verifying it, through the same path:
 * the local coordinator when it is this broker, else AddPartitionsToTxn v5 with {@code verify_only} false.
 * CONCURRENT_TRANSACTIONS (the previous transaction's markers are still being written) is retried for up to
 * {@link #ADD_RETRY_MS} ms; then it, and an unreachable or moving coordinator, become NOT_ENOUGH_REPLICAS (19,
 * retriable for every producer), as Kafka's leaders answer; PRODUCER_FENCED becomes INVALID_PRODUCER_EPOCH (47).
 * Thread-safe.
 */
public final class TransactionVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionVerifier.class);
    private final int localBrokerId;
    private final ImageAwait images;
    private final Supplier<MetadataImage> image;
    private final Function<String, OptionalInt> placement;
    private final BrokerCalls calls;
    private final Executor executor;
    private final long waitMs;
    private final TransactionCoordinator coordinator;
    /** How long a leader retries adding a partition the coordinator answers CONCURRENT_TRANSACTIONS for (ms). */
    static final long ADD_RETRY_MS = 3_000;
    /** The pause between those retries (ms). */
    static final long ADD_BACKOFF_MS = 10;

    /**
     * @param placement the broker coordinating a transactional id
     * @param calls     reaches the coordinator; null to rely on the image alone
     * @param executor  runs the blocking call to the coordinator
     * @param waitMs    how long to wait for this broker's image to show the partition when the coordinator cannot be
     *                  asked (ms)
     * @param coordinator this broker's transaction coordinator (adds partitions of ids it coordinates)
     */
    public TransactionVerifier(int localBrokerId, ImageAwait images, Supplier<MetadataImage> image,
                               Function<String, OptionalInt> placement, BrokerCalls calls, Executor executor,
                               long waitMs, TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
        this.localBrokerId = localBrokerId;
        this.images = images;
        this.image = image;
        this.placement = placement;
        this.calls = calls;
        this.executor = executor;
        this.waitMs = waitMs;
    }

    /**
     * @return NONE when {@code tp} is in the ongoing transaction of {@code transactionalId} with this producer id and
     *         epoch; INVALID_PRODUCER_EPOCH (47) when the transaction has a newer epoch; INVALID_TXN_STATE (48)
     *         otherwise (never added, or the transaction is not ongoing)
     */
    public CompletableFuture<Errors> verify(String transactionalId, long producerId, short epoch, TopicPartition tp) {
        return verify(transactionalId, producerId, epoch, tp, false);
    }

    /**
     * @param add true to add the partition to the transaction (transactions v2, Produce v12), false to verify it
     * @return as {@link #verify(String, long, short, TopicPartition)}; when adding, also NOT_ENOUGH_REPLICAS (19)
     *         and INVALID_PRODUCER_ID_MAPPING (49)
     */
    public CompletableFuture<Errors> verify(String transactionalId, long producerId, short epoch, TopicPartition tp,
                                            boolean add) {
        Errors now = check(image.get(), transactionalId, producerId, epoch, tp);
        if (now == Errors.NONE || now == Errors.INVALID_PRODUCER_EPOCH || transactionalId == null) {
            return CompletableFuture.completedFuture(now);
        }
        if (add) {
            return add(transactionalId, producerId, epoch, tp, System.currentTimeMillis() + ADD_RETRY_MS);
        }
        OptionalInt coordinator = placement.apply(transactionalId);
        if (calls == null || coordinator.isEmpty() || coordinator.getAsInt() == localBrokerId) {
            return awaitImage(transactionalId, producerId, epoch, tp);
        }
        int target = coordinator.getAsInt();
        return CompletableFuture.supplyAsync(() -> ask(target, transactionalId, producerId, epoch, tp), executor)
                .thenCompose(answer -> answer == null ? awaitImage(transactionalId, producerId, epoch, tp)
                        : CompletableFuture.completedFuture(answer));
    }

    private CompletableFuture<Errors> add(String transactionalId, long producerId, short epoch, TopicPartition tp,
                                          long deadlineMs) {
        OptionalInt target = placement.apply(transactionalId);
        CompletableFuture<Errors> answer;
        if (target.isEmpty()) {
            answer = CompletableFuture.completedFuture(Errors.COORDINATOR_NOT_AVAILABLE);
        } else if (target.getAsInt() == localBrokerId && coordinator != null) {
            answer = coordinator.addPartitions(transactionalId, producerId, epoch, List.of(tp), 2)
                    .thenApply(errors -> errors.getOrDefault(tp, Errors.UNKNOWN_SERVER_ERROR));
        } else if (calls == null) {
            answer = CompletableFuture.completedFuture(Errors.COORDINATOR_NOT_AVAILABLE);
        } else {
            answer = CompletableFuture.supplyAsync(() -> {
                Errors e = ask(target.getAsInt(), transactionalId, producerId, epoch, tp, false);
                return e == null ? Errors.COORDINATOR_NOT_AVAILABLE : e;
            }, executor);
        }
        return answer.thenCompose(e -> {
            if (e == Errors.CONCURRENT_TRANSACTIONS && System.currentTimeMillis() < deadlineMs) {
                return CompletableFuture.supplyAsync(() -> null,
                        CompletableFuture.delayedExecutor(ADD_BACKOFF_MS, TimeUnit.MILLISECONDS, executor))
                        .thenCompose(x -> add(transactionalId, producerId, epoch, tp, deadlineMs));
            }
            return CompletableFuture.completedFuture(forProduce(e));
        });
    }

    /** A coordinator's answer to an add as the producer gets it (Kafka's leaders map it the same way). */
    static Errors forProduce(Errors e) {
        switch (e) {
            case CONCURRENT_TRANSACTIONS:
            case NOT_COORDINATOR:
            case COORDINATOR_NOT_AVAILABLE:
            case COORDINATOR_LOAD_IN_PROGRESS:
                return Errors.NOT_ENOUGH_REPLICAS;
            case PRODUCER_FENCED:
                return Errors.INVALID_PRODUCER_EPOCH;
            default:
                return e;
        }
    }

    /** The coordinator's answer, or null when it could not give one. */
    private Errors ask(int coordinator, String transactionalId, long producerId, short epoch, TopicPartition tp) {
        return ask(coordinator, transactionalId, producerId, epoch, tp, true);
    }

    /**
     * AddPartitionsToTxn v4 {@code verify_only} (verifying) or v5 (adding, transactions v2) to the coordinator.
     * Verifying: its answer, or null when it could not give one. Adding: any answer it gave, or null when unreachable.
     */
    private Errors ask(int coordinator, String transactionalId, long producerId, short epoch, TopicPartition tp,
                       boolean verifyOnly) {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(tp.topic()).setPartitions(List.of(tp.partition())));
        AddPartitionsToTxnTransactionCollection txns = new AddPartitionsToTxnTransactionCollection();
        txns.add(new AddPartitionsToTxnTransaction().setTransactionalId(transactionalId).setProducerId(producerId)
                .setProducerEpoch(epoch).setVerifyOnly(verifyOnly).setTopics(topics));
        try {
            AddPartitionsToTxnResponse resp = (AddPartitionsToTxnResponse) calls.call(image.get(), coordinator,
                    AddPartitionsToTxnRequest.Builder.forBroker(txns).build((short) (verifyOnly ? 4 : 5)));
            AddPartitionsToTxnResponseData.AddPartitionsToTxnResult r = resp.data().resultsByTransaction()
                    .find(transactionalId);
            AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult t = r == null ? null
                    : r.topicResults().find(tp.topic());
            AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult p = t == null ? null
                    : t.resultsByPartition().find(tp.partition());
            Errors e = p == null ? Errors.forCode(resp.data().errorCode()) : Errors.forCode(p.partitionErrorCode());
            return !verifyOnly || e == Errors.NONE || e == Errors.INVALID_TXN_STATE
                    || e == Errors.INVALID_PRODUCER_EPOCH ? e : null;
        } catch (IOException | RuntimeException e) {
            LOG.debug("Verifying {} of {} at coordinator {} failed: {}", tp, transactionalId, coordinator,
                    e.toString());
            return null;
        }
    }

    private CompletableFuture<Errors> awaitImage(String transactionalId, long producerId, short epoch,
                                                 TopicPartition tp) {
        return images.await(img -> check(img, transactionalId, producerId, epoch, tp) == Errors.NONE, waitMs)
                .thenApply(ok -> ok ? Errors.NONE : check(image.get(), transactionalId, producerId, epoch, tp));
    }

    /** The check itself, on one image (the coordinator answers verify-only requests with it). */
    public static Errors check(MetadataImage img, String transactionalId, long producerId, short epoch,
                               TopicPartition tp) {
        TransactionState t = transactionalId == null ? null : img.transactions().get(transactionalId);
        if (t == null || t.producerId() != producerId) {
            return Errors.INVALID_TXN_STATE;
        }
        if (t.producerEpoch() > epoch) {
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        return t.producerEpoch() == epoch && t.state() == TxnState.ONGOING && t.partitions().contains(tp)
                ? Errors.NONE : Errors.INVALID_TXN_STATE;
    }
}
