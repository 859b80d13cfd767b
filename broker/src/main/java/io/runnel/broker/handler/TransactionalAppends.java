package io.runnel.broker.handler;

import io.runnel.broker.replica.Partition;
import io.runnel.broker.replica.ProducePartitionResult;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.txn.TransactionVerifier;
import io.runnel.log.record.RecordBatchHeader;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The verification step of a Produce carrying transactional batches (KIP-890 part 1): for each partition whose batch
 * is transactional and whose producer has no transaction open there yet at that epoch, the coordinator's state must
 * show the partition in the producer's ongoing transaction; the partition then remembers that (its verification
 * guard) until the batch is appended or a marker ends the transaction. Under transactions v2 (KIP-890 part 2;
 * Produce v12 while {@code transaction.version} is 2) the same step <em>adds</em> the partition to the transaction
 * at the coordinator instead ({@link TransactionVerifier#verify(String, long, short, TopicPartition, boolean)}).
 * Stateless.
 */
final class TransactionalAppends {
    private TransactionalAppends() {
    }

    /** How long a Produce waits for its verification before answering REQUEST_TIMED_OUT (retriable), in ms. */
    static final long VERIFY_TIMEOUT_MS = 5_000;

    /**
     * {@link #verify}, waited for on the calling thread (a request-handler thread): a connection's requests run one
     * at a time, so waiting here keeps a producer's pipelined batches in order. At most {@link #VERIFY_TIMEOUT_MS};
     * partitions still unverified then are refused with REQUEST_TIMED_OUT, which producers retry.
     */
    static Map<TopicPartition, ProducePartitionResult> verifyNow(ReplicaManager replicas, TransactionVerifier verifier,
                                                                 String transactionalId,
                                                                 Map<TopicPartition, ByteBuffer> records,
                                                                 boolean add) {
        CompletableFuture<Map<TopicPartition, ProducePartitionResult>> f = verify(replicas, verifier,
                transactionalId, records, add);
        try {
            return f.get(VERIFY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // fall through: refuse what needs verification
        }
        Map<TopicPartition, ProducePartitionResult> refused = new LinkedHashMap<>();
        records.keySet().forEach(tp -> refused.put(tp, ProducePartitionResult.error(Errors.REQUEST_TIMED_OUT,
                "the transaction coordinator did not confirm " + tp + " within " + VERIFY_TIMEOUT_MS + " ms")));
        return refused;
    }

    /**
     * @param add true to add the partitions to the transaction (transactions v2) rather than verify them
     * @return the partitions refused (INVALID_TXN_STATE 48, INVALID_PRODUCER_EPOCH 47, when adding also
     *         NOT_ENOUGH_REPLICAS 19 and INVALID_PRODUCER_ID_MAPPING 49, or
     *         TRANSACTIONAL_ID_AUTHORIZATION_FAILED 53 for transactional batches in a Produce without a transactional
     *         id, as Kafka) with their results; the others may be appended
     */
    static CompletableFuture<Map<TopicPartition, ProducePartitionResult>> verify(
            ReplicaManager replicas, TransactionVerifier verifier, String transactionalId,
            Map<TopicPartition, ByteBuffer> records, boolean add) {
        Map<TopicPartition, CompletableFuture<Errors>> checks = new LinkedHashMap<>();
        records.forEach((tp, buf) -> {
            int pos = buf.position();
            if (buf.remaining() < RecordBatchHeader.HEADER_SIZE || buf.get(pos + 16) != RecordBatchHeader.MAGIC_V2) {
                return; // the validator answers malformed batches
            }
            RecordBatchHeader h = RecordBatchHeader.parse(buf, pos);
            Partition p = replicas.partition(tp);
            if (h.isTransactional() && !h.isControl() && transactionalId == null) {
                // Kafka authorizes the transactional id of a Produce holding transactional batches; no id fails
                checks.put(tp, CompletableFuture.completedFuture(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
                return;
            }
            if (!h.isTransactional() || h.isControl() || p == null || !p.isLeader()
                    || !p.needsVerification(h.producerId(), h.producerEpoch())) {
                return;
            }
            checks.put(tp, verifier.verify(transactionalId, h.producerId(), h.producerEpoch(), tp, add)
                    .thenApply(e -> {
                        if (e == Errors.NONE) {
                            p.markVerified(h.producerId(), h.producerEpoch());
                        }
                        return e;
                    }));
        });
        return CompletableFuture.allOf(checks.values().toArray(CompletableFuture[]::new)).thenApply(x -> {
            Map<TopicPartition, ProducePartitionResult> refused = new LinkedHashMap<>();
            checks.forEach((tp, f) -> {
                Errors e = f.join();
                if (e != Errors.NONE) {
                    refused.put(tp, ProducePartitionResult.error(e, transactionalId == null
                            ? "transactional batches need the Produce request's transactional id"
                            : add ? "the transaction coordinator did not add " + tp + " to the transaction of "
                            + transactionalId + ": " + e
                            : "the transaction of transactional id " + transactionalId + " does not include " + tp
                            + " (AddPartitionsToTxn first), or the producer was fenced"));
                }
            });
            return refused;
        });
    }
}
