package io.runnel.jepsen.history;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The recorder every worker writes to: assigns each entry its index and time (nanoseconds since {@code startNanos},
 * from {@link System#nanoTime()}), keeps it in memory for the checker and appends it to {@code history.jsonl} as one
 * JSON line ({@link HistoryJson}). Thread-safe; entries are totally ordered by index.
 */
public final class History implements AutoCloseable {
    private final long startNanos;
    private final BufferedWriter out;
    private final List<Op> ops = new ArrayList<>();
    private final long[] completions = new long[Op.Type.values().length];

    /**
     * @param file       where the JSON lines go (created or truncated), or null to keep the history in memory only
     * @param startNanos the run's start on {@link System#nanoTime()}
     */
    public History(Path file, long startNanos) throws IOException {
        this.startNanos = startNanos;
        this.out = file == null ? null : Files.newBufferedWriter(file);
    }

    /** Records {@code op} now and returns it with its index and time. */
    public synchronized Op record(Op op) {
        Op stamped = op.at(ops.size(), System.nanoTime() - startNanos);
        ops.add(stamped);
        completions[op.type().ordinal()]++;
        if (out != null) {
            try {
                out.write(HistoryJson.toLine(stamped));
                out.newLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stamped;
    }

    /** A copy of every entry so far, in order. */
    public synchronized List<Op> ops() {
        return List.copyOf(ops);
    }

    /** The number of entries so far. */
    public synchronized int size() {
        return ops.size();
    }

    /** How many entries of {@code type} were recorded so far. */
    public synchronized long count(Op.Type type) {
        return completions[type.ordinal()];
    }

    /** Nanoseconds since the run's start. */
    public long now() {
        return System.nanoTime() - startNanos;
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
