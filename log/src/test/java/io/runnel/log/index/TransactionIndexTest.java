package io.runnel.log.index;

import io.runnel.log.AbortedTxn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransactionIndexTest {
    private static final AbortedTxn A = new AbortedTxn(1, 0, 10, 11);
    private static final AbortedTxn B = new AbortedTxn(2, 5, 20, 12);
    private static final AbortedTxn C = new AbortedTxn(3, 12, 30, 31);

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("00000000000000000000.txnindex");
    }

    @Test
    void theFileIsCreatedAtTheFirstEntryAndRoundTripsInKafkasFormat() throws IOException {
        TransactionIndex idx = new TransactionIndex(file());
        assertFalse(Files.exists(file()));
        idx.append(A);
        idx.append(B);
        idx.append(C);
        idx.close();
        assertEquals(3 * 34, Files.size(file()));
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file()));
        assertEquals(0, raw.getShort(34));
        assertEquals(2, raw.getLong(36));
        assertEquals(5, raw.getLong(44));
        assertEquals(20, raw.getLong(52));
        assertEquals(12, raw.getLong(60));
        TransactionIndex reopened = new TransactionIndex(file());
        assertEquals(List.of(A, B, C), reopened.all());
        reopened.append(new AbortedTxn(4, 30, 40, 41));
        assertEquals(4, new TransactionIndex(file()).size());
    }

    @Test
    void refusesAnEntryBelowTheLastOne() throws IOException {
        TransactionIndex idx = new TransactionIndex(file());
        idx.append(B);
        assertThrows(IllegalArgumentException.class, () -> idx.append(A));
        idx.append(new AbortedTxn(9, 20, 20, 21));
        assertEquals(2, idx.size());
    }

    @Test
    void overlappingFiltersByBothBounds() throws IOException {
        TransactionIndex idx = new TransactionIndex(file());
        for (AbortedTxn t : List.of(A, B, C)) {
            idx.append(t);
        }
        assertEquals(List.of(A, B, C), idx.overlapping(0, 100));
        assertEquals(List.of(B, C), idx.overlapping(11, 100));
        assertEquals(List.of(A, B), idx.overlapping(0, 12));
        assertEquals(List.of(B), idx.overlapping(11, 12));
        assertEquals(List.of(), idx.overlapping(31, 100));
        assertEquals(List.of(A), idx.overlapping(10, 1));
    }

    @Test
    void aTornLastEntryIsCutOnOpen() throws IOException {
        TransactionIndex idx = new TransactionIndex(file());
        idx.append(A);
        idx.append(B);
        idx.close();
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            ch.truncate(2 * 34 - 7);
        }
        TransactionIndex reopened = new TransactionIndex(file());
        assertEquals(List.of(A), reopened.all());
        assertEquals(34, Files.size(file()));
        reopened.append(C);
        assertEquals(List.of(A, C), new TransactionIndex(file()).all());
    }

    @Test
    void anEntryWithAnUnknownVersionDropsTheRest() throws IOException {
        TransactionIndex idx = new TransactionIndex(file());
        for (AbortedTxn t : List.of(A, B, C)) {
            idx.append(t);
        }
        idx.close();
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(2).putShort((short) 7).flip(), 34);
        }
        assertEquals(List.of(A), new TransactionIndex(file()).all());
        assertEquals(34, Files.size(file()));
    }

    @Test
    void truncateDropsEntriesAtOrAboveTheOffset() throws IOException {
        TransactionIndex idx = new TransactionIndex(file());
        for (AbortedTxn t : List.of(A, B, C)) {
            idx.append(t);
        }
        List<AbortedTxn> before = idx.all();
        idx.truncateTo(21);
        assertEquals(List.of(A, B), idx.all());
        idx.truncateTo(20);
        assertEquals(List.of(A), idx.all());
        assertEquals(List.of(A, B, C), before, "a snapshot taken before stays whole");
        idx.append(C);
        assertEquals(List.of(A, C), idx.all());
        idx.close();
        assertEquals(List.of(A, C), new TransactionIndex(file()).all());
    }

    @Test
    void resetEmptiesAndDeletesTheFile() throws IOException {
        TransactionIndex idx = new TransactionIndex(file());
        idx.append(A);
        idx.reset();
        assertEquals(0, idx.size());
        assertFalse(Files.exists(file()));
        idx.append(B);
        assertTrue(Files.exists(file()));
        assertEquals(List.of(B), new TransactionIndex(file()).all());
    }

    @Test
    void renameAndDeleteFollowTheFile() throws IOException {
        TransactionIndex idx = new TransactionIndex(file());
        idx.append(A);
        Path renamed = dir.resolve("00000000000000000000.txnindex.deleted");
        idx.renameTo(renamed);
        assertFalse(Files.exists(file()));
        assertTrue(Files.exists(renamed));
        idx.delete();
        assertFalse(Files.exists(renamed));
    }
}
