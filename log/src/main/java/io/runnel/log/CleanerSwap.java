package io.runnel.log;

import io.runnel.log.checkpoint.CheckpointFile;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Runnel's crash-safe replacement of cleaned segments (its own protocol, in the spirit of Kafka's
 * {@code .cleaned}/{@code .swap} suffixes). A cleaning writes all its new segments, indexes included, into the
 * {@code cleaning/} subdirectory under their final file names and fsyncs them. Then, under the log's lock:
 * <ol>
 *   <li>the manifest {@code cleaner-swap} is written atomically (per new segment: its base offset and the replaced
 *       base offsets): the commit point;</li>
 *   <li>the replaced segments are renamed {@code *.deleted};</li>
 *   <li>the new files move into the partition directory, indexes first and the {@code .log} file last;</li>
 *   <li>the manifest is deleted.</li>
 * </ol>
 * Recovery on open ({@link #recover}): without a manifest, anything in {@code cleaning/} is an unfinished cleaning
 * and is deleted (the old segments stand). With one, the swap rolls forward: while the new {@code .log} file is still
 * in {@code cleaning/}, the replaced segments' files still in place are deleted and the rest of the new files moved
 * in; then the manifest goes. So a crash at any point leaves either the old segments or the new ones, never a mix;
 * an index lost on the way is rebuilt by the loader. A new segment's {@code .txnindex} holds the entries of the
 * segments it replaces whose markers stayed ({@link TxnMarkerCleaning}), and exists (empty if need be) whenever the
 * old segment of the same base offset had one, so the old file is always replaced, never left behind.
 */
final class CleanerSwap {
    private static final Logger LOG = Logger.getLogger(CleanerSwap.class.getName());
    private static final String[] INDEX_SUFFIXES = {LogFiles.INDEX_SUFFIX, LogFiles.TIME_INDEX_SUFFIX,
            LogFiles.TXN_INDEX_SUFFIX};

    /** A point of the protocol where a test may simulate a crash ({@code *_MOVED} once per new segment). */
    enum Step { WRITTEN, COMMITTED, OLD_RENAMED, INDEXES_MOVED, LOG_MOVED }

    /** Called at each {@link Step}; a test hook throws from it to simulate a crash there. */
    interface StepListener {
        StepListener NONE = step -> { };

        void reached(Step step) throws IOException;
    }

    private CleanerSwap() {
    }

    static Path cleaningDir(Path dir) {
        return dir.resolve(LogFiles.CLEANING_DIR);
    }

    /**
     * Swaps every group in, under the log's lock: checks that no old segment changed since it was read (else discards
     * the cleaning and throws), commits, renames the old files, moves the new ones in, replaces the segments in the
     * map (the new one first, so readers never skip offsets) and schedules the old ones' deletion.
     */
    static void swap(Path dir, LogSegments segments, List<LogCleaning.CleanedGroup> groups, boolean closed,
                     LogConfig config, long nowMs, StepListener listener) throws IOException, LogCleaning.Aborted {
        for (LogCleaning.CleanedGroup g : groups) {
            for (int i = 0; i < g.old().size(); i++) {
                LogSegment s = g.old().get(i);
                if (closed || segments.asMap().get(s.baseOffset()) != s || s.size() != g.sizes()[i]
                        || s == segments.active()) {
                    discardCleaning(dir);
                    throw new LogCleaning.Aborted("the log changed during the cleaning");
                }
            }
        }
        commit(dir, groups);
        listener.reached(Step.COMMITTED);
        for (LogCleaning.CleanedGroup g : groups) {
            for (LogSegment s : g.old()) {
                s.renameWithSuffix(LogFiles.DELETED_SUFFIX);
            }
        }
        listener.reached(Step.OLD_RENAMED);
        for (LogCleaning.CleanedGroup g : groups) {
            moveIn(dir, g.base(), listener);
        }
        fsyncDir(dir);
        for (LogCleaning.CleanedGroup g : groups) {
            LogSegment fresh = new LogSegment(dir, g.base(), config, false, nowMs);
            fresh.loadTail();
            segments.replace(g.old(), fresh);
        }
        finish(dir);
        discardCleaning(dir);
        for (LogCleaning.CleanedGroup g : groups) {
            for (LogSegment s : g.old()) {
                SegmentDeleter.deleteRenamed(s, config.fileDeleteDelayMs());
            }
        }
    }

    /** Writes the manifest, one line per group: new base offset, then the replaced base offsets. The commit point. */
    private static void commit(Path dir, List<LogCleaning.CleanedGroup> groups) throws IOException {
        List<List<String>> entries = new ArrayList<>();
        for (LogCleaning.CleanedGroup g : groups) {
            List<String> line = new ArrayList<>();
            line.add(Long.toString(g.base()));
            for (LogSegment s : g.old()) {
                line.add(Long.toString(s.baseOffset()));
            }
            entries.add(line);
        }
        new CheckpointFile(dir.resolve(LogFiles.SWAP_MANIFEST)).write(entries);
        fsyncDir(dir);
    }

    /** Moves the new segment's files from {@code cleaning/} into {@code dir}, indexes first, then the log file. */
    static void moveIn(Path dir, long newBase, StepListener listener) throws IOException {
        Path from = cleaningDir(dir);
        for (String suffix : INDEX_SUFFIXES) {
            moveIfExists(from, dir, LogSegment.fileName(newBase, suffix));
        }
        listener.reached(Step.INDEXES_MOVED);
        moveIfExists(from, dir, LogSegment.fileName(newBase, LogFiles.LOG_SUFFIX));
        listener.reached(Step.LOG_MOVED);
    }

    /** Deletes the manifest: the swap is over. */
    static void finish(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(LogFiles.SWAP_MANIFEST));
    }

    /** Deletes {@code cleaning/} and whatever an unfinished cleaning left in it. */
    static void discardCleaning(Path dir) throws IOException {
        Path c = cleaningDir(dir);
        if (!Files.isDirectory(c)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(c)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(c);
    }

    /** Finishes or undoes an interrupted cleaning before the segments load; see the class comment. */
    static void recover(Path dir) throws IOException {
        Path manifest = dir.resolve(LogFiles.SWAP_MANIFEST);
        List<String[]> entries = Files.exists(manifest) ? new CheckpointFile(manifest).read() : null;
        for (String[] line : entries == null ? List.<String[]>of() : entries) {
            long newBase = Long.parseLong(line[0]);
            Path pendingLog = cleaningDir(dir).resolve(LogSegment.fileName(newBase, LogFiles.LOG_SUFFIX));
            if (!Files.exists(pendingLog)) {
                continue;
            }
            LOG.warning("completing an interrupted cleaner swap in " + dir + " (new segment " + newBase + ")");
            for (int i = 1; i < line.length; i++) {
                long old = Long.parseLong(line[i]);
                Files.deleteIfExists(dir.resolve(LogSegment.fileName(old, LogFiles.LOG_SUFFIX)));
                if (old != newBase) {
                    for (String suffix : INDEX_SUFFIXES) {
                        Files.deleteIfExists(dir.resolve(LogSegment.fileName(old, suffix)));
                    }
                }
            }
            moveIn(dir, newBase, StepListener.NONE);
        }
        fsyncDir(dir);
        finish(dir);
        discardCleaning(dir);
    }

    private static void moveIfExists(Path fromDir, Path toDir, String name) throws IOException {
        Path f = fromDir.resolve(name);
        if (Files.exists(f)) {
            Files.move(f, toDir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
