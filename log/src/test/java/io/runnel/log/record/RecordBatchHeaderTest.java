package io.runnel.log.record;

import io.runnel.log.LogError;
import io.runnel.log.LogException;
import io.runnel.log.TestBatches;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordBatchHeaderTest {
    @Test
    void parsesTheFieldsAProducerWrites() {
        ByteBuffer b = TestBatches.batch(7, new long[] {100, 300, 200}, new byte[][] {{1}, {2}, {3}}, 42L,
                (short) 3, 17);
        RecordBatchHeader h = RecordBatchHeader.validate(b, 0);
        assertEquals(7, h.baseOffset());
        assertEquals(9, h.lastOffset());
        assertEquals(3, h.recordCount());
        assertEquals(100, h.baseTimestamp());
        assertEquals(300, h.maxTimestamp());
        assertEquals(42, h.producerId());
        assertEquals(3, h.producerEpoch());
        assertEquals(17, h.baseSequence());
        assertEquals(19, h.lastSequence());
        assertEquals("none", h.compressionName());
        assertEquals(b.limit(), h.sizeInBytes());
    }

    @Test
    void rewritingOffsetAndEpochKeepsTheCrcValidAndLogAppendTimeRecomputesIt() {
        ByteBuffer b = TestBatches.batch(2, 10, 1000);
        RecordBatchHeader.setBaseOffset(b, 0, 123456789L);
        RecordBatchHeader.setPartitionLeaderEpoch(b, 0, 9);
        RecordBatchHeader.validate(b, 0);
        RecordBatchHeader.setLogAppendTime(b, 0, 5555);
        RecordBatchHeader h = RecordBatchHeader.validate(b, 0);
        assertTrue(h.isLogAppendTime());
        assertEquals(5555, h.maxTimestamp());
    }

    @Test
    void sequenceWrapsAtIntMax() {
        ByteBuffer b = TestBatches.batch(0, new long[] {1, 1, 1}, new byte[][] {{1}, {2}, {3}}, 1L, (short) 0,
                Integer.MAX_VALUE - 1);
        assertEquals(0, RecordBatchHeader.parse(b, 0).lastSequence());
    }

    @Test
    void shortOrCorruptInputIsCorruptMessage() {
        ByteBuffer b = TestBatches.batch(2, 10, 1000);
        assertEquals(LogError.CORRUPT_MESSAGE,
                assertThrows(LogException.class, () -> RecordBatchHeader.validate(b.duplicate().limit(60), 0)).error());
        assertEquals(LogError.CORRUPT_MESSAGE,
                assertThrows(LogException.class, () -> RecordBatchHeader.validate(b.duplicate().limit(70), 0)).error());
        ByteBuffer shortLength = TestBatches.batch(2, 10, 1000);
        shortLength.putInt(8, 10);
        assertThrows(LogException.class, () -> RecordBatchHeader.validate(shortLength, 0));
    }

    @Property(tries = 500)
    void varintsRoundTrip(@ForAll int i, @ForAll long l) {
        ByteBuffer buf = ByteBuffer.allocate(20);
        Varint.writeInt(buf, i);
        Varint.writeLong(buf, l);
        assertEquals(Varint.sizeOfInt(i) + Varint.sizeOfLong(l), buf.position());
        buf.flip();
        assertEquals(i, Varint.readInt(buf));
        assertEquals(l, Varint.readLong(buf));
    }
}
