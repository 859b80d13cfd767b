package io.runnel.broker.replica;

import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The last stable offset after DeleteRecords moved the log start offset past the first offset of a transaction that
 * is still open (allowed: DeleteRecords is bounded by the high watermark, not the last stable offset). Kafka never
 * reports a last stable offset below the log start offset: the first unstable offset is raised to the log start
 * offset (UnifiedLog's first-unstable-offset update), so Fetch and ListOffsets (read_committed) answer the log start
 * offset until the transaction ends. A single-replica leader on a real log.
 */
class LastStableOffsetLogStartTest {
    static final long NOW = 1_800_000_000_000L;
    static final TopicPartition TP = new TopicPartition("t", 0);
    @TempDir
    Path dir;
    Partition p;

    @AfterEach
    void close() {
        if (p != null) {
            p.close();
        }
    }

    private static SimpleRecord[] values(String... vs) {
        SimpleRecord[] out = new SimpleRecord[vs.length];
        for (int i = 0; i < vs.length; i++) {
            out[i] = new SimpleRecord(NOW, null, vs[i].getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private void append(MemoryRecords records) {
        ProducePartitionResult r = p.appendAsLeader(records.buffer(), (short) 1);
        assertEquals(Errors.NONE, r.error(), r.message());
    }

    @Test
    void theLastStableOffsetNeverFallsBelowTheLogStartOffset() {
        p = Partition.open(TP, UUID.randomUUID(), dir, 1, new PartitionState(List.of(1), List.of(1), 1, 0, 0),
                PartitionSettings.DEFAULT, 30_000L, () -> NOW, TransactionalPartitionProperties.QUIET);
        append(MemoryRecords.withRecords(Compression.NONE, values("a", "b", "c")));          // 0..2
        p.markVerified(1000L, (short) 0);
        append(MemoryRecords.withTransactionalRecords(Compression.NONE, 1000L, (short) 0, 0, values("t1", "t2")));
        append(MemoryRecords.withIdempotentRecords(Compression.NONE, 2000L, (short) 0, 0, values("d", "e"))); // 5..6
        assertEquals(3, p.lastStableOffset());

        assertEquals(Errors.NONE, LogStartOffsets.deleteAsLeader(p, 5).error());
        assertEquals(5, p.logStartOffset());
        FetchPartitionData d = p.read(new FetchPartition(TP, 5, 1 << 20, -1), -1, 1 << 20, true, true);
        assertEquals(Errors.NONE, d.error());
        assertEquals(5, d.lastStableOffset(), "Fetch's last_stable_offset is at least its log_start_offset");
        assertEquals(5, p.lastStableOffset(), "the open transaction's first offset is gone: LSO = log start");

        ProducePartitionResult marker = p.appendTxnMarker(1000L, (short) 0, 0, true);
        assertEquals(Errors.NONE, marker.error(), marker.message());
        assertEquals(p.highWatermark(), p.lastStableOffset());
    }
}
