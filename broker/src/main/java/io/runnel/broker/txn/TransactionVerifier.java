package io.runnel.broker.txn;

import io.runnel.broker.group.ImageAwait;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.image.TransactionState;
import io.runnel.metadata.image.TxnState;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Server-side partition verification (KIP-890 part 1) for a partition leader about to append a producer's first
 * transactional batch of a transaction: the transaction coordinator's state, which every broker's image holds, must
 * show the partition in that producer's ongoing transaction at that epoch. The coordinator answered
 * AddPartitionsToTxn only after the metadata log held the change, so the leader waits a little for its own image to
 * catch up before it refuses. Thread-safe.
 */
public final class TransactionVerifier {
    private final ImageAwait images;
    private final Supplier<MetadataImage> image;
    private final long waitMs;

    /** @param waitMs how long to wait for this broker's image to show the partition (ms) */
    public TransactionVerifier(ImageAwait images, Supplier<MetadataImage> image, long waitMs) {
        this.images = images;
        this.image = image;
        this.waitMs = waitMs;
    }

    /**
     * @return NONE when {@code tp} is in the ongoing transaction of {@code transactionalId} with this producer id and
     *         epoch; INVALID_PRODUCER_EPOCH (47) when the transaction has a newer epoch; INVALID_TXN_STATE (48)
     *         otherwise (never added, or the transaction is not ongoing)
     */
    public CompletableFuture<Errors> verify(String transactionalId, long producerId, short epoch, TopicPartition tp) {
        Errors now = check(image.get(), transactionalId, producerId, epoch, tp);
        if (now == Errors.NONE || now == Errors.INVALID_PRODUCER_EPOCH) {
            return CompletableFuture.completedFuture(now);
        }
        return images.await(img -> check(img, transactionalId, producerId, epoch, tp) == Errors.NONE, waitMs)
                .thenApply(ok -> ok ? Errors.NONE : check(image.get(), transactionalId, producerId, epoch, tp));
    }

    static Errors check(MetadataImage img, String transactionalId, long producerId, short epoch, TopicPartition tp) {
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
