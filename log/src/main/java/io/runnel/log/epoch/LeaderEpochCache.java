package io.runnel.log.epoch;

import io.runnel.log.checkpoint.CheckpointFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The leader-epoch history of one replica: which epoch wrote from which offset (KIP-101, KIP-279), kept in memory and
 * checkpointed to the {@code leader-epoch-checkpoint} file (lines {@code epoch startOffset}) on every change.
 *
 * <p>Thread model: one writer (the log's appender) at a time; readers see an immutable list published through a
 * volatile field.
 */
public final class LeaderEpochCache {
    private final CheckpointFile checkpoint;
    private final LongSupplier logEndOffset;
    private volatile List<EpochEntry> entries;

    private LeaderEpochCache(CheckpointFile checkpoint, LongSupplier logEndOffset, List<EpochEntry> entries) {
        this.checkpoint = checkpoint;
        this.logEndOffset = logEndOffset;
        this.entries = List.copyOf(entries);
    }

    /**
     * Loads the cache from {@code file}.
     *
     * @param logEndOffset the log's current end offset, read when the latest epoch's end is asked for
     * @return the cache, or null when the file exists but is malformed (the caller rebuilds it from the batches)
     */
    public static LeaderEpochCache load(Path file, LongSupplier logEndOffset) {
        CheckpointFile cp = new CheckpointFile(file);
        try {
            List<String[]> lines = cp.read();
            List<EpochEntry> loaded = new ArrayList<>();
            if (lines != null) {
                for (String[] fields : lines) {
                    if (fields.length != 2) {
                        return null;
                    }
                    EpochEntry e = new EpochEntry(Integer.parseInt(fields[0]), Long.parseLong(fields[1]));
                    if (!loaded.isEmpty() && (e.epoch() <= last(loaded).epoch()
                            || e.startOffset() < last(loaded).startOffset())) {
                        return null;
                    }
                    loaded.add(e);
                }
            }
            return new LeaderEpochCache(cp, logEndOffset, loaded);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** An empty cache backed by {@code file}, replacing whatever it held. */
    public static LeaderEpochCache empty(Path file, LongSupplier logEndOffset) {
        LeaderEpochCache cache = new LeaderEpochCache(new CheckpointFile(file), logEndOffset, List.of());
        cache.flush();
        return cache;
    }

    private static EpochEntry last(List<EpochEntry> list) {
        return list.get(list.size() - 1);
    }

    /** The entries, oldest first. */
    public List<EpochEntry> entries() {
        return entries;
    }

    /** The latest epoch, or {@link EpochEndOffset#UNDEFINED_EPOCH} when none is known. */
    public int latestEpoch() {
        List<EpochEntry> e = entries;
        return e.isEmpty() ? EpochEndOffset.UNDEFINED_EPOCH : last(e).epoch();
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset}. Does nothing if the epoch is not newer than the latest
     * one; otherwise drops entries that start at or after {@code startOffset} (they were never confirmed) and
     * appends the new one.
     */
    public void assign(int epoch, long startOffset) {
        if (epoch < 0) {
            return;
        }
        List<EpochEntry> current = entries;
        if (!current.isEmpty() && epoch <= last(current).epoch()) {
            return;
        }
        List<EpochEntry> next = new ArrayList<>(current.size() + 1);
        for (EpochEntry e : current) {
            if (e.startOffset() < startOffset) {
                next.add(e);
            }
        }
        next.add(new EpochEntry(epoch, startOffset));
        publish(next);
    }

    /**
     * The end offset of the largest epoch at most {@code requestedEpoch} (KIP-279): the latest epoch ends at the log
     * end offset; an older one ends where the next known epoch starts; an epoch older than every known one answers
     * {@code (requestedEpoch, first start offset)}; an unknown newer epoch or an empty cache answers UNDEFINED.
     */
    public EpochEndOffset endOffsetFor(int requestedEpoch) {
        List<EpochEntry> e = entries;
        if (requestedEpoch == EpochEndOffset.UNDEFINED_EPOCH || e.isEmpty()) {
            return EpochEndOffset.UNDEFINED;
        }
        if (requestedEpoch == last(e).epoch()) {
            return new EpochEndOffset(requestedEpoch, logEndOffset.getAsLong());
        }
        EpochEntry floor = null;
        for (EpochEntry entry : e) {
            if (entry.epoch() > requestedEpoch) {
                return floor == null
                        ? new EpochEndOffset(requestedEpoch, entry.startOffset())
                        : new EpochEndOffset(floor.epoch(), entry.startOffset());
            }
            floor = entry;
        }
        return EpochEndOffset.UNDEFINED;
    }

    /** Drops the entries starting at or after {@code endOffset}: called when the log is truncated to it. */
    public void truncateFromEnd(long endOffset) {
        List<EpochEntry> current = entries;
        List<EpochEntry> next = new ArrayList<>();
        for (EpochEntry e : current) {
            if (e.startOffset() < endOffset) {
                next.add(e);
            }
        }
        if (next.size() != current.size()) {
            publish(next);
        }
    }

    /**
     * Drops the entries wholly before {@code startOffset}, moving the one that covers it to start there: called when
     * the log start offset advances.
     */
    public void truncateFromStart(long startOffset) {
        List<EpochEntry> current = entries;
        List<EpochEntry> next = new ArrayList<>();
        for (int i = 0; i < current.size(); i++) {
            EpochEntry e = current.get(i);
            boolean nextStartsByThen = i + 1 < current.size() && current.get(i + 1).startOffset() <= startOffset;
            if (nextStartsByThen) {
                continue;
            }
            next.add(e.startOffset() < startOffset ? new EpochEntry(e.epoch(), startOffset) : e);
        }
        if (!next.equals(current)) {
            publish(next);
        }
    }

    /** Forgets every epoch. */
    public void clear() {
        publish(List.of());
    }

    private void publish(List<EpochEntry> next) {
        entries = List.copyOf(next);
        flush();
    }

    /** Writes the checkpoint file. @throws UncheckedIOException when it cannot be written */
    public void flush() {
        List<List<String>> lines = new ArrayList<>();
        for (EpochEntry e : entries) {
            lines.add(List.of(Integer.toString(e.epoch()), Long.toString(e.startOffset())));
        }
        try {
            checkpoint.write(lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + checkpoint.file(), e);
        }
    }
}
