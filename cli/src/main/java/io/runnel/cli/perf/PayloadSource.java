package io.runnel.cli.perf;

import io.runnel.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * The record values of {@code producer-perf-test}, in Kafka's three ways: {@code --record-size N} (N random
 * upper-case letters, new for each record), {@code --payload-file F} (one of the file's delimiter-separated
 * payloads, picked at random for each record) and {@code --payload-monotonic} (the record's index as decimal text).
 * The random sequence is seeded, so runs are repeatable.
 */
interface PayloadSource {

    /**
     * @param index the record's 0-based index in the run
     * @return its value; may be a reused buffer whose contents change on the next call (the producer copies it)
     */
    byte[] next(long index);

    /**
     * @param size value size, bytes
     * @param seed the random seed
     * @return random upper-case ASCII letters of that size
     */
    static PayloadSource randomLetters(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] payload = new byte[size];
        return index -> {
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) ('A' + random.nextInt(26));
            }
            return payload;
        };
    }

    /** @return the record's index as UTF-8 decimal text */
    static PayloadSource monotonic() {
        return index -> Long.toString(index).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param payloads the candidate values (at least one)
     * @param seed the random seed
     * @return one of the payloads picked at random for each record
     */
    static PayloadSource pickFrom(List<byte[]> payloads, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return index -> payloads.get(random.nextInt(payloads.size()));
    }

    /**
     * Splits a UTF-8 file into payloads.
     *
     * @param file the payload file
     * @param delimiter the literal text between payloads (Kafka's default is a newline)
     * @return the non-empty payloads in file order
     * @throws CliException when the file is missing, unreadable or holds no payload
     */
    static List<byte[]> readPayloads(Path file, String delimiter) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("cannot read payload file " + file + ": " + e.getMessage(), e);
        }
        List<byte[]> payloads = new ArrayList<>();
        for (String part : text.split(Pattern.quote(delimiter))) {
            if (!part.isEmpty()) {
                payloads.add(part.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (payloads.isEmpty()) {
            throw new CliException("File does not exist or empty file provided: " + file);
        }
        return payloads;
    }
}
