package io.runnel.log.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A small text checkpoint file in Kafka's checkpoint format: a version line ({@code 0}), a line with the number of
 * entries, then one entry per line as space-separated fields. Writes are atomic: a temporary file is written,
 * fsynced and renamed over the old one, so a crash leaves the old or the new file, never a mix.
 */
public final class CheckpointFile {
    private static final int VERSION = 0;
    private final Path file;

    /** @param file where the checkpoint lives */
    public CheckpointFile(Path file) {
        this.file = file;
    }

    /** The checkpoint's path. */
    public Path file() {
        return file;
    }

    /**
     * Atomically replaces the file with these entries, each a list of space-free fields.
     *
     * @throws IOException when the file cannot be written or synced
     */
    public void write(List<List<String>> entries) throws IOException {
        StringBuilder text = new StringBuilder().append(VERSION).append('\n').append(entries.size()).append('\n');
        for (List<String> entry : entries) {
            text.append(String.join(" ", entry)).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Reads the entries back.
     *
     * @return the entries' fields, or null if the file does not exist
     * @throws IOException when the file is unreadable or not in the format above (the caller rebuilds the state)
     */
    public List<String[]> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (lines.size() < 2 || !lines.get(0).trim().equals(String.valueOf(VERSION))) {
            throw new IOException("checkpoint " + file + " has no version " + VERSION + " header");
        }
        int count;
        try {
            count = Integer.parseInt(lines.get(1).trim());
        } catch (NumberFormatException e) {
            throw new IOException("checkpoint " + file + " has a bad entry count: " + lines.get(1), e);
        }
        if (count < 0 || lines.size() < 2 + count) {
            throw new IOException("checkpoint " + file + " announces " + count + " entries but holds "
                    + (lines.size() - 2));
        }
        List<String[]> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(lines.get(2 + i).trim().split(" "));
        }
        return entries;
    }

    /**
     * Writes a checkpoint holding one offset.
     *
     * @throws IOException when the file cannot be written
     */
    public void writeOffset(long offset) throws IOException {
        write(List.of(List.of(Long.toString(offset))));
    }

    /**
     * Reads a checkpoint holding one offset.
     *
     * @return the offset, or {@code fallback} if the file is missing
     * @throws IOException when the file is malformed
     */
    public long readOffset(long fallback) throws IOException {
        List<String[]> entries = read();
        if (entries == null) {
            return fallback;
        }
        if (entries.size() != 1 || entries.get(0).length != 1) {
            throw new IOException("checkpoint " + file + " should hold exactly one offset");
        }
        try {
            return Long.parseLong(entries.get(0)[0]);
        } catch (NumberFormatException e) {
            throw new IOException("checkpoint " + file + " holds no offset: " + entries.get(0)[0], e);
        }
    }
}
