package io.runnel.log;

import io.runnel.log.record.BatchCodec;
import io.runnel.log.record.LogRecord;
import io.runnel.log.record.RecordBatchHeader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Real magic-v2 transactional batches and control batches (commit/abort markers, KIP-98), base offset 0, for tests. */
public final class TxnBatches {
    /** Attribute bit 4. */
    public static final short TRANSACTIONAL = 0x10;
    /** Attribute bit 5. */
    public static final short CONTROL = 0x20;
    /** Control record types. */
    public static final short ABORT = 0;
    public static final short COMMIT = 1;

    private TxnBatches() {
    }

    /** A batch of keyed records {@code kvs} (value null = tombstone) of {@code producerId}, transactional or not. */
    public static ByteBuffer data(List<String[]> kvs, long producerId, int baseSequence, boolean transactional,
                                  long timestamp) {
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i < kvs.size(); i++) {
            String[] kv = kvs.get(i);
            records.add(new LogRecord(i, timestamp, kv[0] == null ? null : utf8(kv[0]),
                    kv[1] == null ? null : utf8(kv[1]), ByteBuffer.wrap(new byte[] {0})));
        }
        return build(records, transactional ? TRANSACTIONAL : 0, producerId, baseSequence, timestamp);
    }

    /**
     * A control batch holding one marker of {@code producerId}: key = version i16 (0) + type i16 (0 abort, 1 commit),
     * value = version i16 (0) + coordinator epoch i32.
     */
    public static ByteBuffer marker(long producerId, boolean commit, int coordinatorEpoch, long timestamp) {
        ByteBuffer key = ByteBuffer.allocate(4).putShort((short) 0).putShort(commit ? COMMIT : ABORT).flip();
        ByteBuffer value = ByteBuffer.allocate(6).putShort((short) 0).putInt(coordinatorEpoch).flip();
        LogRecord r = new LogRecord(0, timestamp, key, value, ByteBuffer.wrap(new byte[] {0}));
        return build(List.of(r), (short) (TRANSACTIONAL | CONTROL), producerId, RecordBatchHeader.NO_SEQUENCE,
                timestamp);
    }

    private static ByteBuffer build(List<LogRecord> records, short attributes, long producerId, int baseSequence,
                                    long timestamp) {
        RecordBatchHeader template = new RecordBatchHeader(0, 0, 0, RecordBatchHeader.MAGIC_V2, 0, attributes,
                records.size() - 1, timestamp, timestamp, producerId, (short) (producerId < 0 ? -1 : 0),
                producerId < 0 ? -1 : baseSequence, records.size());
        try {
            return BatchCodec.rebuild(template, records, -1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
