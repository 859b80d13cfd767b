package io.runnel.log;

import io.runnel.log.record.BatchCodec;
import io.runnel.log.record.LogRecord;
import io.runnel.log.record.RecordBatchHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A read_committed consumer over a log, as Kafka's does it (KIP-98; the Java client's {@code CompletedFetch}): the
 * aborted transactions Fetch returns for {@code [logStart, lso)} are taken in {@code firstOffset} order; at each
 * batch with a producer id, those starting at or below its last offset put their producer into the aborted set; an
 * ABORT marker takes its producer out again; a transactional data batch of a producer in the set is skipped. For
 * tests.
 */
final class ReadCommitted {
    private ReadCommitted() {
    }

    /** The latest value of every key among the records a read_committed consumer reads below {@code lso}. */
    static Map<String, String> latest(PartitionLog log, long lso) throws IOException {
        List<AbortedTxn> entries = log.abortedTransactions(log.logStartOffset(), lso);
        Deque<AbortedTxn> queue = new ArrayDeque<>(entries.stream()
                .sorted(Comparator.comparingLong(AbortedTxn::firstOffset)).toList());
        Set<Long> abortedProducers = new HashSet<>();
        Map<String, String> latest = new TreeMap<>();
        for (ByteBuffer b : TestBatches.readAll(log, log.logStartOffset())) {
            RecordBatchHeader h = RecordBatchHeader.validate(b, 0);
            if (h.baseOffset() >= lso) {
                break;
            }
            if (h.hasProducerId()) {
                while (!queue.isEmpty() && queue.peekFirst().firstOffset() <= h.lastOffset()) {
                    abortedProducers.add(queue.pollFirst().producerId());
                }
                if (h.isControl()) {
                    if (isAbortMarker(b, h)) {
                        abortedProducers.remove(h.producerId());
                    }
                    continue;
                }
                if (h.isTransactional() && abortedProducers.contains(h.producerId())) {
                    continue;
                }
            } else if (h.isControl()) {
                continue;
            }
            for (LogRecord r : BatchCodec.records(b, h)) {
                if (r.offset() >= log.logStartOffset() && r.offset() < lso && r.key() != null) {
                    latest.put(text(r.key()), r.value() == null ? null : text(r.value()));
                }
            }
        }
        latest.values().removeIf(v -> v == null);
        return latest;
    }

    /** True when the control batch {@code b} holds an ABORT marker (control record key: version i16, type i16). */
    static boolean isAbortMarker(ByteBuffer b, RecordBatchHeader h) {
        List<LogRecord> records = BatchCodec.records(b, h);
        return !records.isEmpty() && records.get(0).key().getShort(records.get(0).key().position() + 2)
                == TxnBatches.ABORT;
    }

    static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }
}
