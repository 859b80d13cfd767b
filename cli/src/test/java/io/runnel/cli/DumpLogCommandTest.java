package io.runnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.cli.TestBatches.Rec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runnel dump-log} against segment files built byte by byte in the test. */
class DumpLogCommandTest {

    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final byte[] plain = TestBatches.batch(0, 0, T0, -1, (short) -1, -1, 0,
            List.of(new Rec(null, "hello"), new Rec("k1", "world", List.of("trace", "span")), new Rec("k2", null)));
    private final byte[] idempotentTxn = TestBatches.batch(3, 1, T0 + 100, 42, (short) 0, 3, 0x10,
            List.of(new Rec("a", "b"), new Rec("c", "d")));
    private final byte[] third = TestBatches.batch(5, 1, T0 + 200, -1, (short) -1, -1, 0, List.of(new Rec("x", "y")));

    @Test
    void printsOneKafkaStyleLinePerBatchAndReportsATornTail() throws IOException {
        Path segment = write("00000000000000000000.log", plain, idempotentTxn, slice(third, 30));

        CliRunner.Result r = CliRunner.run("dump-log", "--files", segment.toString());

        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of(), r.err());
        assertEquals(List.of(
                "Dumping " + segment,
                "Log starting offset: 0",
                "baseOffset: 0 lastOffset: 2 count: 3 baseSequence: -1 lastSequence: -1 producerId: -1"
                        + " producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false"
                        + " position: 0 CreateTime: 1700000000002 size: " + plain.length
                        + " magic: 2 compresscodec: none crc: " + TestBatches.crcOf(plain) + " isvalid: true",
                "baseOffset: 3 lastOffset: 4 count: 2 baseSequence: 3 lastSequence: 4 producerId: 42"
                        + " producerEpoch: 0 partitionLeaderEpoch: 1 isTransactional: true isControl: false"
                        + " position: " + plain.length + " CreateTime: 1700000000101 size: " + idempotentTxn.length
                        + " magic: 2 compresscodec: none crc: " + TestBatches.crcOf(idempotentTxn) + " isvalid: true",
                "Found 30 invalid bytes at the end of 00000000000000000000.log"), r.out());
    }

    @Test
    void aBatchWithABadCrcIsMarkedInvalidAndTheWalkGoesOn() throws IOException {
        byte[] corrupt = plain.clone();
        corrupt[corrupt.length - 2] ^= 0x01; // inside the last record: covered by the CRC
        Path segment = write("00000000000000000000.log", corrupt, idempotentTxn);

        CliRunner.Result r = CliRunner.run("dump-log", "--files", segment.toString());

        assertEquals(0, r.exitCode());
        assertEquals(4, r.out().size(), r.out().toString());
        assertTrue(r.out().get(2).startsWith("baseOffset: 0 "), r.out().get(2));
        assertTrue(r.out().get(2).endsWith(" isvalid: false"), r.out().get(2));
        assertTrue(r.out().get(3).startsWith("baseOffset: 3 "), r.out().get(3));
        assertTrue(r.out().get(3).endsWith(" isvalid: true"), r.out().get(3));
    }

    @Test
    void garbageLengthAndShortTailsAreInvalidBytesNotCrashes() throws IOException {
        byte[] garbage = new byte[80];
        java.util.Arrays.fill(garbage, (byte) 0x7f); // batchLength 0x7f7f7f7f: far past the end of the file
        Path a = write("00000000000000000005.log", third, garbage);
        Path b = write("00000000000000000006.log", slice(third, 10));
        Path empty = write("00000000000000000007.log");

        CliRunner.Result r = CliRunner.run("dump-log", "--files", a + "," + b + "," + empty);

        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals("Dumping " + a, r.out().get(0));
        assertEquals("Log starting offset: 5", r.out().get(1));
        assertTrue(r.out().get(2).startsWith("baseOffset: 5 lastOffset: 5 count: 1 "), r.out().get(2));
        assertEquals("Found 80 invalid bytes at the end of 00000000000000000005.log", r.out().get(3));
        assertEquals(List.of("Dumping " + b, "Log starting offset: 6",
                "Found 10 invalid bytes at the end of 00000000000000000006.log",
                "Dumping " + empty, "Log starting offset: 7"), r.out().subList(4, 9));
        assertEquals(9, r.out().size(), r.out().toString());
    }

    @Test
    void deepIterationPrintsOneLinePerRecord() throws IOException {
        Path segment = write("00000000000000000000.log", plain, idempotentTxn);

        CliRunner.Result r = CliRunner.run("dump-log", "--deep-iteration", "--files", segment.toString());

        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of(
                "| offset: 0 CreateTime: 1700000000000 keySize: -1 valueSize: 5 sequence: -1 headerKeys: []",
                "| offset: 1 CreateTime: 1700000000001 keySize: 2 valueSize: 5 sequence: -1 headerKeys: [trace,span]",
                "| offset: 2 CreateTime: 1700000000002 keySize: 2 valueSize: -1 sequence: -1 headerKeys: []"),
                r.out().subList(3, 6));
        assertTrue(r.out().get(6).startsWith("baseOffset: 3 "), r.out().get(6));
        assertEquals(List.of(
                "| offset: 3 CreateTime: 1700000000100 keySize: 1 valueSize: 1 sequence: 3 headerKeys: []",
                "| offset: 4 CreateTime: 1700000000101 keySize: 1 valueSize: 1 sequence: 4 headerKeys: []"),
                r.out().subList(7, 9));
    }

    @Test
    void deepIterationDecodesGzipBatches() throws IOException {
        byte[] gz = TestBatches.batch(0, 0, T0, -1, (short) -1, -1, 1, List.of(new Rec("k", "value")));
        Path segment = write("00000000000000000000.log", gz);

        CliRunner.Result r = CliRunner.run("dump-log", "--deep-iteration", "--files", segment.toString());

        assertTrue(r.out().get(2).contains(" compresscodec: gzip "), r.out().get(2));
        assertTrue(r.out().get(2).endsWith(" isvalid: true"), r.out().get(2));
        assertEquals("| offset: 0 CreateTime: 1700000000000 keySize: 1 valueSize: 5 sequence: -1 headerKeys: []",
                r.out().get(3));
    }

    @Test
    void missingFileIsOneStderrLineExitOneAndNoOutput() throws IOException {
        Path good = write("00000000000000000000.log", plain);
        Path missing = dir.resolve("00000000000000000099.log");

        CliRunner.Result r = CliRunner.run("dump-log", "--files", good + "," + missing);

        assertEquals(1, r.exitCode());
        assertEquals(List.of("runnel: no such file: " + missing), r.err());
        assertEquals(List.of(), r.out());
    }

    @Test
    void nonSegmentFilesAndDirectoriesAreRefused() throws IOException {
        Path index = write("00000000000000000000.index");

        CliRunner.Result r1 = CliRunner.run("dump-log", "--files", index.toString());
        CliRunner.Result r2 = CliRunner.run("dump-log", "--files", dir.toString());

        assertEquals(1, r1.exitCode());
        assertEquals(1, r1.err().size(), r1.err().toString());
        assertTrue(r1.err().get(0).contains("is not a log segment (*.log)"), r1.err().get(0));
        assertEquals(1, r2.exitCode());
        assertTrue(r2.err().get(0).contains("is a directory"), r2.err().get(0));
    }

    private Path write(String name, byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return Files.write(dir.resolve(name), out.toByteArray());
    }

    private static byte[] slice(byte[] b, int length) {
        return java.util.Arrays.copyOf(b, length);
    }
}
