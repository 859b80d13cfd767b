package io.runnel.broker.txn;

import io.runnel.broker.replica.ProducePartitionResult;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.image.TransactionState;
import io.runnel.metadata.image.TxnState;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Writes a prepared transaction's COMMIT or ABORT markers to every partition it touched (WriteTxnMarkers, key 27,
 * KIP-98): to this broker's own partitions through the replica manager, to other leaders over a connection per
 * broker on the inter-broker listener ({@link BrokerCalls}). Partitions that fail (leader moved, leader down, timeout) are retried every
 * {@link #RETRY_BACKOFF_MS} ms with the leaders of the current image, for as long as the caller says the transaction
 * is still this coordinator's to finish. A partition whose topic was deleted counts as done. The markers carry the
 * transaction's state version as their coordinator epoch, so a partition refuses markers of a coordinator that was
 * superseded (TRANSACTION_COORDINATOR_FENCED). WriteTxnMarkers v2 carries the transaction's client transaction
 * version (2 under transactions v2, KIP-890 part 2, whose markers carry the bumped epoch). Thread-safe.
 */
final class TxnMarkerSender implements AutoCloseable {
    static final long RETRY_BACKOFF_MS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(TxnMarkerSender.class);
    private static final int REQUEST_TIMEOUT_MS = 30_000;
    private final int localBrokerId;
    private final BrokerCalls calls;
    private final ReplicaManager replicas;
    private final Supplier<MetadataImage> image;
    private final ScheduledExecutorService timer;
    private final ExecutorService senders;

    /**
     * @param calls   reaches other leaders on the inter-broker listener
     * @param timer   runs retries
     * @param senders runs blocking sends to other brokers
     */
    TxnMarkerSender(int localBrokerId, BrokerCalls calls, ReplicaManager replicas, Supplier<MetadataImage> image,
                    ScheduledExecutorService timer, ExecutorService senders) {
        this.localBrokerId = localBrokerId;
        this.calls = calls;
        this.replicas = replicas;
        this.image = image;
        this.timer = timer;
        this.senders = senders;
    }

    /**
     * Writes the markers of {@code prepared} (PrepareCommit: COMMIT; otherwise ABORT) with its producer id and epoch.
     *
     * @param stillOurs checked before each retry round; when false the future fails with IllegalStateException
     * @return completes once every partition has its marker below its high watermark
     */
    CompletableFuture<Void> send(TransactionState prepared, BooleanSupplier stillOurs) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        round(prepared, new TreeSet<>(prepared.partitions()), stillOurs, done);
        return done;
    }

    private void round(TransactionState txn, Set<TopicPartition> pending, BooleanSupplier stillOurs,
                       CompletableFuture<Void> done) {
        if (pending.isEmpty()) {
            done.complete(null);
            return;
        }
        if (!stillOurs.getAsBoolean()) {
            done.completeExceptionally(new IllegalStateException("transaction " + txn.transactionalId()
                    + " is no longer this coordinator's to finish"));
            return;
        }
        MetadataImage img = image.get();
        Map<Integer, List<TopicPartition>> byLeader = new HashMap<>();
        Set<TopicPartition> remaining = ConcurrentHashMap.newKeySet();
        for (TopicPartition tp : pending) {
            TopicImage topic = img.topicsByName().get(tp.topic());
            PartitionRegistration p = topic == null ? null : topic.partition(tp.partition());
            if (p == null) {
                continue; // the topic or partition is gone: nothing to mark
            }
            remaining.add(tp);
            byLeader.computeIfAbsent(p.leader(), l -> new ArrayList<>()).add(tp);
        }
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        byLeader.forEach((leader, tps) -> sends.add(sendTo(leader, txn, tps, img).thenAccept(errors -> errors
                .forEach((tp, error) -> {
                    if (error == Errors.NONE) {
                        remaining.remove(tp);
                    } else {
                        LOG.debug("Marker of {} for {} failed: {}", txn.transactionalId(), tp, error);
                    }
                }))));
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
            if (remaining.isEmpty()) {
                done.complete(null);
            } else {
                timer.schedule(() -> round(txn, new TreeSet<>(remaining), stillOurs, done), RETRY_BACKOFF_MS,
                        TimeUnit.MILLISECONDS);
            }
        });
    }

    private CompletableFuture<Map<TopicPartition, Errors>> sendTo(int leader, TransactionState txn,
                                                                   List<TopicPartition> tps, MetadataImage img) {
        boolean commit = txn.state() == TxnState.PREPARE_COMMIT;
        int coordinatorEpoch = (int) Math.min(Integer.MAX_VALUE, txn.version());
        if (leader < 0) {
            return CompletableFuture.completedFuture(Map.of());
        }
        if (leader == localBrokerId) {
            return replicas.appendTxnMarkers(txn.producerId(), (short) txn.producerEpoch(), coordinatorEpoch, commit,
                    tps, REQUEST_TIMEOUT_MS, txn.clientTransactionVersion()).thenApply(TxnMarkerSender::errors);
        }
        return CompletableFuture.supplyAsync(() -> remote(leader, img, txn, tps, commit, coordinatorEpoch), senders);
    }

    private Map<TopicPartition, Errors> remote(int leader, MetadataImage img, TransactionState txn,
                                               List<TopicPartition> tps, boolean commit, int coordinatorEpoch) {
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        tps.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        WriteTxnMarkersRequestData.WritableTxnMarker marker = new WriteTxnMarkersRequestData.WritableTxnMarker()
                .setProducerId(txn.producerId()).setProducerEpoch((short) txn.producerEpoch())
                .setTransactionResult(commit).setCoordinatorEpoch(coordinatorEpoch)
                .setTransactionVersion((byte) txn.clientTransactionVersion());
        byTopic.forEach((topic, parts) -> marker.topics().add(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic()
                .setName(topic).setPartitionIndexes(parts)));
        WriteTxnMarkersRequestData data = new WriteTxnMarkersRequestData();
        data.markers().add(marker);
        Map<TopicPartition, Errors> out = new HashMap<>();
        try {
            WriteTxnMarkersResponse resp = (WriteTxnMarkersResponse) calls.call(img, leader,
                    new WriteTxnMarkersRequest.Builder(data).build((short) 2));
            for (WriteTxnMarkersResponseData.WritableTxnMarkerResult r : resp.data().markers()) {
                for (WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult t : r.topics()) {
                    for (WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult p : t.partitions()) {
                        out.put(new TopicPartition(t.name(), p.partitionIndex()), Errors.forCode(p.errorCode()));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.info("Sending transaction markers of {} to broker {} failed: {}", txn.transactionalId(), leader,
                    e.toString());
        }
        return out;
    }

    private static Map<TopicPartition, Errors> errors(Map<TopicPartition, ProducePartitionResult> results) {
        Map<TopicPartition, Errors> out = new HashMap<>();
        results.forEach((tp, r) -> out.put(tp, r.error()));
        return out;
    }

    @Override
    public void close() {
        calls.close();
    }
}
