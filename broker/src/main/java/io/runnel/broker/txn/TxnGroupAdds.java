package io.runnel.broker.txn;

import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TransactionState;
import io.runnel.metadata.image.TxnState;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Transactions v2 (KIP-890 part 2): a producer sends TxnOffsetCommit v5 without AddOffsetsToTxn, so the group's
 * coordinator adds the group to the producer's transaction itself before recording the pending offsets: through
 * this broker's {@link TransactionCoordinator} when it coordinates the transactional id, else with AddOffsetsToTxn
 * (key 25, v4) to the transaction's coordinator on the inter-broker listener, on the producer's behalf. A transaction
 * opened so runs with client transaction version 2. CONCURRENT_TRANSACTIONS (51; the previous transaction's markers
 * are being written) is retried for up to {@link #RETRY_MS} ms. Thread-safe.
 */
public final class TxnGroupAdds {
    private static final Logger LOG = LoggerFactory.getLogger(TxnGroupAdds.class);
    /** How long CONCURRENT_TRANSACTIONS is retried before it is answered (ms). */
    static final long RETRY_MS = 3_000;
    /** The pause between those retries (ms). */
    static final long BACKOFF_MS = 10;
    private final int localBrokerId;
    private final TransactionCoordinator coordinator;
    private final Supplier<MetadataImage> image;
    private final Function<String, OptionalInt> placement;
    private final BrokerCalls calls;
    private final Executor executor;

    /**
     * @param placement the broker coordinating a transactional id
     * @param calls     reaches other coordinators; null when only the local one may be used
     * @param executor  runs the blocking calls
     */
    TxnGroupAdds(int localBrokerId, TransactionCoordinator coordinator, Supplier<MetadataImage> image,
                 Function<String, OptionalInt> placement, BrokerCalls calls, Executor executor) {
        this.localBrokerId = localBrokerId;
        this.coordinator = coordinator;
        this.image = image;
        this.placement = placement;
        this.calls = calls;
        this.executor = executor;
    }

    /**
     * Adds {@code groupId} to the ongoing transaction of {@code transactionalId} at this producer id and epoch.
     *
     * @return NONE (also when this broker's image already shows it), or the coordinator's error:
     *         INVALID_PRODUCER_ID_MAPPING (49), PRODUCER_FENCED (90), INVALID_PRODUCER_EPOCH (47),
     *         CONCURRENT_TRANSACTIONS (51), NOT_COORDINATOR (16), COORDINATOR_NOT_AVAILABLE (15, unreachable)
     */
    public CompletableFuture<Errors> add(String transactionalId, long producerId, short epoch, String groupId) {
        TransactionState t = image.get().transactions().get(transactionalId);
        if (t != null && t.producerId() == producerId && t.producerEpoch() == epoch
                && t.state() == TxnState.ONGOING && t.groups().contains(groupId)) {
            return CompletableFuture.completedFuture(Errors.NONE);
        }
        return attempt(transactionalId, producerId, epoch, groupId, System.currentTimeMillis() + RETRY_MS);
    }

    private CompletableFuture<Errors> attempt(String transactionalId, long producerId, short epoch, String groupId,
                                              long deadlineMs) {
        OptionalInt target = placement.apply(transactionalId);
        CompletableFuture<Errors> answer;
        if (target.isEmpty()) {
            answer = CompletableFuture.completedFuture(Errors.COORDINATOR_NOT_AVAILABLE);
        } else if (target.getAsInt() == localBrokerId) {
            answer = coordinator.addOffsets(transactionalId, producerId, epoch, groupId, 2);
        } else if (calls == null) {
            answer = CompletableFuture.completedFuture(Errors.COORDINATOR_NOT_AVAILABLE);
        } else {
            answer = CompletableFuture.supplyAsync(() -> ask(target.getAsInt(), transactionalId, producerId, epoch,
                    groupId), executor);
        }
        return answer.thenCompose(e -> {
            if (e == Errors.CONCURRENT_TRANSACTIONS && System.currentTimeMillis() < deadlineMs) {
                return CompletableFuture.supplyAsync(() -> null,
                        CompletableFuture.delayedExecutor(BACKOFF_MS, TimeUnit.MILLISECONDS, executor))
                        .thenCompose(x -> attempt(transactionalId, producerId, epoch, groupId, deadlineMs));
            }
            return CompletableFuture.completedFuture(e);
        });
    }

    private Errors ask(int target, String transactionalId, long producerId, short epoch, String groupId) {
        try {
            AddOffsetsToTxnResponse resp = (AddOffsetsToTxnResponse) calls.call(image.get(), target,
                    new AddOffsetsToTxnRequest.Builder(new AddOffsetsToTxnRequestData()
                            .setTransactionalId(transactionalId).setProducerId(producerId).setProducerEpoch(epoch)
                            .setGroupId(groupId)).build((short) 4));
            return Errors.forCode(resp.data().errorCode());
        } catch (IOException | RuntimeException e) {
            LOG.debug("Adding group {} to {} at coordinator {} failed: {}", groupId, transactionalId, target,
                    e.toString());
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
    }
}
