package io.runnel.broker.replica;

import io.runnel.log.cleaner.OffsetMap;
import io.runnel.log.cleaner.Throttler;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.runnel.broker.replica.TransactionalPartitionProperties.QUIET;
import static io.runnel.broker.replica.TransactionalPartitionProperties.TOPIC_ID;
import static io.runnel.broker.replica.TransactionalPartitionProperties.TP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A compacted transactional partition whose cleaner removes markers (KIP-534): stamped markers decode with
 * kafka-clients, read_committed reads stay, and a reopen (producer state and aborted-transaction index rebuilt from
 * the log) leaves no transaction open, before and after the markers go.
 */
class TxnMarkerCleaningPartitionTest {
    private static final long T0 = 1_800_000_000_000L;
    private static final long RETENTION_MS = 1000;
    private static final PartitionSettings SETTINGS = PartitionSettings.DEFAULT.with(Map.of("segment.bytes", "600",
            "cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms",
            Long.toString(RETENTION_MS), "file.delete.delay.ms", "0"));
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(T0);
    private int filler;

    private Partition open() {
        PartitionState state = new PartitionState(List.of(1), List.of(1), 1, 0, 0);
        return Partition.open(TP, TOPIC_ID, dir, 1, state, SETTINGS, 30_000L, clock::get, QUIET);
    }

    private static SimpleRecord rec(String key, String value) {
        return new SimpleRecord(T0, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    private static void ok(ProducePartitionResult r) {
        assertEquals(Errors.NONE, r.error(), r.message());
    }

    private static void txn(Partition p, long pid, int seq, boolean commit, String key, String value) {
        if (p.needsVerification(pid, (short) 0)) {
            p.markVerified(pid, (short) 0);
        }
        ok(p.appendAsLeader(MemoryRecords.withTransactionalRecords(Compression.NONE, pid, (short) 0, seq,
                rec(key, value)).buffer(), (short) 1));
        ok(p.appendTxnMarker(pid, (short) 0, 0, commit));
    }

    private void rollAndClean(Partition p) throws InterruptedException {
        int segments = p.log().numberOfSegments();
        while (p.log().numberOfSegments() == segments) {
            ok(p.appendAsLeader(MemoryRecords.withRecords(Compression.NONE, rec("f" + (filler % 5),
                    "x" + filler++)).buffer(), (short) 1));
        }
        assertEquals(p.logEndOffset(), p.highWatermark());
        assertNotNull(p.log().clean(new OffsetMap(1 << 20, 0.9), new Throttler(Double.MAX_VALUE)));
    }

    /** Control batches, decoded by kafka-clients. */
    private static int markers(Partition p) throws IOException {
        int n = 0;
        long next = p.log().logStartOffset();
        while (next < p.logEndOffset()) {
            ByteBuffer bytes = p.log().read(next, 1 << 20, Long.MAX_VALUE).readAll();
            for (RecordBatch b : MemoryRecords.readableRecords(bytes).batches()) {
                b.ensureValid();
                n += b.isControlBatch() ? 1 : 0;
                next = b.nextOffset();
            }
        }
        return n;
    }

    private static List<String> committed(Partition p) {
        return TransactionalPartitionProperties.readCommitted(p, 1 << 20).stream()
                .map(TransactionalPartitionProperties.Seen::value).filter(v -> !v.startsWith("x")).toList();
    }

    @Test
    void markersGoAfterTheHorizonAndAReopenFindsNoOpenTransaction() throws Exception {
        Partition p = open();
        try {
            txn(p, 1000, 0, true, "K", "committed");
            txn(p, 1001, 0, false, "Q", "aborted");
            ok(p.appendAsLeader(MemoryRecords.withRecords(Compression.NONE, rec("K", "plain")).buffer(),
                    (short) 1));
            txn(p, 1000, 1, true, "L", "second");
            txn(p, 1001, 1, true, "M", "third");
            assertEquals(4, markers(p));
            assertEquals(List.of("committed", "plain", "second", "third"), committed(p));

            rollAndClean(p); // the aborted and superseded data go; their markers stay
            rollAndClean(p); // those markers get a delete horizon
            assertEquals(4, markers(p));
            assertEquals(List.of("plain", "second", "third"), committed(p));
            p.close();
            p = open();
            assertEquals(p.highWatermark(), p.lastStableOffset(), "no transaction left open by the rebuild");
            assertEquals(List.of("plain", "second", "third"), committed(p));

            clock.addAndGet(RETENTION_MS);
            rollAndClean(p);
            assertEquals(2, markers(p), "the first transactions' markers are gone; the producers' last stay");
            assertEquals(List.of(), p.log().abortedTransactions(0, Long.MAX_VALUE));
            assertEquals(List.of("plain", "second", "third"), committed(p));
            p.close();
            p = open();
            assertEquals(p.highWatermark(), p.lastStableOffset());
            assertEquals(List.of("plain", "second", "third"), committed(p));
            txn(p, 1001, 2, false, "R", "aborted-again");
            assertEquals(List.of("plain", "second", "third"), committed(p), "the producer's next abort still works");
            assertTrue(p.log().abortedTransactions(0, Long.MAX_VALUE).size() == 1);
        } finally {
            p.close();
        }
    }
}
