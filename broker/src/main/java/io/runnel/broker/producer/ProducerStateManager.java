package io.runnel.broker.producer;

import io.runnel.log.record.RecordBatchHeader;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Idempotent and transactional producer state of one partition (DESIGN.md section 3; KIP-98, KIP-360, KIP-890),
 * per producer id:
 * <ul>
 *   <li>an epoch below the known one: INVALID_PRODUCER_EPOCH (47);</li>
 *   <li>within the epoch, a batch with the same first and last sequence as one of the last {@link #MAX_BATCHES}
 *       is a duplicate: success with the original offsets, nothing appended;</li>
 *   <li>a newer epoch must start at sequence 0, and within the epoch a batch's first sequence must follow the last
 *       one (wrapping from {@code Integer.MAX_VALUE} to 0), else OUT_OF_ORDER_SEQUENCE_NUMBER (45);</li>
 *   <li>a transactional batch that does not continue the producer's open transaction here needs the partition to
 *       have been verified as part of that producer's ongoing transaction ({@link #markVerified}, KIP-890's
 *       verification guard), else INVALID_TXN_STATE (48); a non-transactional batch while a transaction is open is
 *       INVALID_TXN_STATE too;</li>
 *   <li>an unknown producer id is accepted at any sequence, as Kafka does (its state may have been removed with old
 *       segments).</li>
 * </ul>
 * It also tracks open transactions: the first unstable offset (the first offset of the oldest open transaction),
 * from which the partition's last stable offset follows, and the transactions markers close.
 * Rebuilt from the log's batch headers when a partition is opened ({@link #replay}, {@link #replayMarker}).
 *
 * <p>Not thread-safe: the owning partition calls it under its append lock.
 */
public final class ProducerStateManager {
    /** Batches remembered per producer, as Kafka's producers keep at most 5 in flight. */
    public static final int MAX_BATCHES = 5;
    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();
    /** Open transactions by first offset: first offset to producer id. */
    private final TreeMap<Long, Long> ongoing = new TreeMap<>();
    /** Verification guards: producer id to the epoch whose ongoing transaction includes this partition. */
    private final Map<Long, Short> verified = new HashMap<>();
    /**
     * Producers whose current epoch came from a marker that bumped it (transactions v2's EndTxn, or a fencing
     * abort) and that appended nothing since: their next batch must start at sequence 0.
     */
    private final Set<Long> restartAtZero = new HashSet<>();

    /** Checks a batch about to be appended; batches without a producer id are always accepted. */
    public SequenceCheck check(RecordBatchHeader batch) {
        if (!batch.hasProducerId()) {
            return SequenceCheck.ACCEPT;
        }
        ProducerStateEntry entry = producers.get(batch.producerId());
        short epoch = batch.producerEpoch();
        if (entry != null && epoch < entry.epoch()) {
            return SequenceCheck.reject(Errors.INVALID_PRODUCER_EPOCH, "producer " + batch.producerId()
                    + " epoch " + epoch + " is older than the current epoch " + entry.epoch());
        }
        if (entry != null && epoch == entry.epoch()) {
            BatchMetadata duplicate = entry.find(batch.baseSequence(), batch.lastSequence());
            if (duplicate != null) {
                return SequenceCheck.duplicate(duplicate);
            }
        }
        SequenceCheck txn = checkTransaction(batch, entry);
        if (txn != null) {
            return txn;
        }
        if (entry == null) {
            return SequenceCheck.ACCEPT;
        }
        int firstSeq = batch.baseSequence();
        if (epoch > entry.epoch()) {
            return firstSeq == 0 ? SequenceCheck.ACCEPT : SequenceCheck.reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER,
                    "producer " + batch.producerId() + " starts epoch " + epoch + " at sequence " + firstSeq
                            + ", not 0");
        }
        int last = entry.lastSeq();
        if (last < 0 && firstSeq != 0 && restartAtZero.contains(batch.producerId())) {
            return SequenceCheck.reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "producer " + batch.producerId()
                    + " starts epoch " + epoch + " (bumped by its last transaction marker) at sequence " + firstSeq
                    + ", not 0");
        }
        if (last >= 0 && firstSeq != nextSequence(last)) {
            return SequenceCheck.reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "producer " + batch.producerId()
                    + " epoch " + epoch + " sent sequence " + firstSeq + " after " + last);
        }
        return SequenceCheck.ACCEPT;
    }

    private SequenceCheck checkTransaction(RecordBatchHeader batch, ProducerStateEntry entry) {
        boolean open = entry != null && entry.inTransaction();
        if (!batch.isTransactional()) {
            return open ? SequenceCheck.reject(Errors.INVALID_TXN_STATE, "producer " + batch.producerId()
                    + " sent a non-transactional batch while its transaction is open on this partition") : null;
        }
        if (open && batch.producerEpoch() == entry.epoch()) {
            return null;
        }
        Short guard = verified.get(batch.producerId());
        if (guard != null && guard == batch.producerEpoch()) {
            return null;
        }
        return SequenceCheck.reject(Errors.INVALID_TXN_STATE, "producer " + batch.producerId() + " epoch "
                + batch.producerEpoch() + " sent a transactional batch to a partition that is not part of its "
                + "ongoing transaction (AddPartitionsToTxn first)");
    }

    /** True when a transactional batch of this producer and epoch needs the partition verified first. */
    public boolean needsVerification(long producerId, short epoch) {
        ProducerStateEntry entry = producers.get(producerId);
        if (entry != null && entry.inTransaction() && entry.epoch() == epoch) {
            return false;
        }
        Short guard = verified.get(producerId);
        return guard == null || guard != epoch;
    }

    /** The coordinator confirmed this partition is in the producer's ongoing transaction at {@code epoch}. */
    public void markVerified(long producerId, short epoch) {
        verified.put(producerId, epoch);
    }

    /** The sequence following {@code seq}, wrapping to 0 after {@code Integer.MAX_VALUE}. */
    public static int nextSequence(int seq) {
        return seq == Integer.MAX_VALUE ? 0 : seq + 1;
    }

    /**
     * Records an appended data batch (its header carries the final offsets). Used after a leader append and when
     * replaying the log; batches without a producer id, and control batches, are ignored here (see
     * {@link #replayMarker}).
     */
    public void replay(RecordBatchHeader appended) {
        if (!appended.hasProducerId() || appended.isControl()) {
            return;
        }
        BatchMetadata meta = new BatchMetadata(appended.baseSequence(), appended.lastSequence(),
                appended.baseOffset(), appended.lastOffset(), appended.maxTimestamp());
        ProducerStateEntry before = producers.get(appended.producerId());
        if (before != null && appended.producerEpoch() < before.epoch()) {
            return; // a fenced epoch's batch in the log: the newer epoch stays current
        }
        ProducerStateEntry after;
        if (before == null) {
            after = ProducerStateEntry.first(appended.producerId(), appended.producerEpoch(), meta);
            if (appended.isTransactional()) {
                after = new ProducerStateEntry(after.producerId(), after.epoch(), after.batches(),
                        appended.baseOffset(), -1, after.lastTimestamp());
            }
        } else {
            after = before.with(appended.producerEpoch(), meta, appended.isTransactional());
        }
        producers.put(appended.producerId(), after);
        restartAtZero.remove(appended.producerId());
        if (after.inTransaction()) {
            ongoing.put(after.currentTxnFirstOffset(), appended.producerId());
            verified.remove(appended.producerId());
        }
    }

    /**
     * Records an appended transaction marker (a control batch; its header carries its offset).
     *
     * @return the transaction it closed, or null when the producer had none open here
     */
    public CompletedTxn replayMarker(RecordBatchHeader marker, TxnMarker content) {
        long pid = marker.producerId();
        ProducerStateEntry before = producers.get(pid);
        verified.remove(pid);
        if (before != null && marker.producerEpoch() > before.epoch()) {
            restartAtZero.add(pid);
        }
        ProducerStateEntry after = before == null
                ? new ProducerStateEntry(pid, marker.producerEpoch(), List.of(), -1L, content.coordinatorEpoch(),
                marker.maxTimestamp())
                : before.afterMarker(marker.producerEpoch(), content.coordinatorEpoch(), marker.maxTimestamp());
        producers.put(pid, after);
        if (before == null || !before.inTransaction()) {
            return null;
        }
        ongoing.remove(before.currentTxnFirstOffset());
        return new CompletedTxn(pid, before.currentTxnFirstOffset(), marker.baseOffset(), !content.commit());
    }

    /** {@link #checkMarker(long, short, int, int)} for a transactions v1 marker. */
    public SequenceCheck checkMarker(long producerId, short producerEpoch, int coordinatorEpoch) {
        return checkMarker(producerId, producerEpoch, coordinatorEpoch, 0);
    }

    /**
     * Checks a transaction marker before it is appended (WriteTxnMarkers, KIP-98): a producer epoch below the known
     * one is INVALID_PRODUCER_EPOCH (47); a coordinator epoch below the last applied marker's is
     * TRANSACTION_COORDINATOR_FENCED (52). A transactions v2 marker ({@code transactionVersion} 2, KIP-890 part 2)
     * carries the epoch the coordinator's EndTxn bumped, so it must also be above the epoch of a transaction open
     * here (a marker at that epoch belongs to an earlier transaction): INVALID_PRODUCER_EPOCH. With nothing open, the
     * same epoch is a retried marker and accepted, as in v1. After a marker with a higher epoch the producer's next
     * batch must start at sequence 0.
     *
     * @return NONE when the marker may be appended
     */
    public SequenceCheck checkMarker(long producerId, short producerEpoch, int coordinatorEpoch,
                                     int transactionVersion) {
        ProducerStateEntry entry = producers.get(producerId);
        if (entry == null) {
            return SequenceCheck.ACCEPT;
        }
        if (producerEpoch < entry.epoch()) {
            return SequenceCheck.reject(Errors.INVALID_PRODUCER_EPOCH, "marker for producer " + producerId
                    + " has epoch " + producerEpoch + ", older than the current epoch " + entry.epoch());
        }
        if (transactionVersion >= 2 && producerEpoch == entry.epoch() && entry.inTransaction()) {
            return SequenceCheck.reject(Errors.INVALID_PRODUCER_EPOCH, "transactions v2 marker for producer "
                    + producerId + " has epoch " + producerEpoch + ", not above the epoch of its open transaction");
        }
        if (coordinatorEpoch < entry.coordinatorEpoch()) {
            return SequenceCheck.reject(Errors.TRANSACTION_COORDINATOR_FENCED, "marker for producer " + producerId
                    + " has coordinator epoch " + coordinatorEpoch + ", older than " + entry.coordinatorEpoch());
        }
        return SequenceCheck.ACCEPT;
    }

    /** The first offset of the oldest open transaction, or -1 when none is open. */
    public long firstUnstableOffset() {
        return ongoing.isEmpty() ? -1L : ongoing.firstKey();
    }

    /** The state of {@code producerId}, or null. */
    public ProducerStateEntry entry(long producerId) {
        return producers.get(producerId);
    }

    /** Every producer's state (DescribeProducers), in no particular order. */
    public List<ProducerStateEntry> entries() {
        return new ArrayList<>(producers.values());
    }

    /** Producer ids known. */
    public int producerCount() {
        return producers.size();
    }

    /** Forgets everything (before a rebuild); verification guards too. */
    public void clear() {
        producers.clear();
        restartAtZero.clear();
        ongoing.clear();
        verified.clear();
    }
}
