package io.runnel.log;

import io.runnel.log.compress.CompressionCodec;
import io.runnel.log.record.BatchCodec;
import io.runnel.log.record.LogRecord;
import io.runnel.log.record.RecordBatchHeader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keyed, optionally compressed test batches, and reading a log back as (offset, key, value) entries. */
public final class KeyedBatches {
    /** One record as read back: value null for a tombstone. */
    public record Entry(long offset, String key, String value) {
    }

    private KeyedBatches() {
    }

    /** A batch of {@code kvs} (value null = tombstone), base offset 0, stamped {@code timestamp}. */
    public static ByteBuffer batch(List<String[]> kvs, CompressionCodec codec, long timestamp, long producerId,
                                   int baseSequence) {
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i < kvs.size(); i++) {
            String[] kv = kvs.get(i);
            records.add(new LogRecord(i, timestamp, kv[0] == null ? null : utf8(kv[0]),
                    kv[1] == null ? null : utf8(kv[1]), ByteBuffer.wrap(new byte[] {0})));
        }
        RecordBatchHeader template = new RecordBatchHeader(0, 0, 0, RecordBatchHeader.MAGIC_V2, 0,
                (short) codec.id(), kvs.size() - 1, timestamp, timestamp, producerId,
                (short) (producerId < 0 ? -1 : 0), producerId < 0 ? -1 : baseSequence, kvs.size());
        try {
            return BatchCodec.rebuild(template, records, -1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer b) {
        return b == null ? null : StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }

    /** Every record from the log start to the log end, in offset order. */
    public static List<Entry> readAll(PartitionLog log) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (ByteBuffer batch : TestBatches.readAll(log, log.logStartOffset())) {
            RecordBatchHeader h = RecordBatchHeader.validate(batch, 0);
            for (LogRecord r : BatchCodec.records(batch, h)) {
                out.add(new Entry(r.offset(), text(r.key()), text(r.value())));
            }
        }
        return out;
    }

    /** The last entry per key among {@code entries}. */
    public static Map<String, Entry> latest(List<Entry> entries) {
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Entry e : entries) {
            m.put(e.key(), e);
        }
        return m;
    }
}
