package io.runnel.log;

import io.runnel.log.epoch.LeaderEpochCache;
import io.runnel.log.record.BatchReader;
import io.runnel.log.record.RecordBatchHeader;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Opens a partition directory: removes leftovers of interrupted deletions, loads the segments, and, unless the last
 * close left the clean-shutdown marker, recovers every segment from the one holding the recovery point on
 * ({@link SegmentRecovery}). Indexes found missing or out of order are rebuilt from the log. Transaction indexes
 * are kept (their torn tails cut, see {@link io.runnel.log.index.TransactionIndex}) minus the entries at or above the
 * recovered log end offset; the broker rebuilds them from the batch headers anyway.
 */
final class LogLoader {
    private static final Logger LOG = Logger.getLogger(LogLoader.class.getName());

    /** The state of a freshly opened log. */
    record Loaded(TreeMap<Long, LogSegment> segments, long logStartOffset, long logEndOffset, long highWatermark,
                  LeaderEpochCache epochCache, boolean cleanShutdown, long recoveredBytes) {
    }

    private LogLoader() {
    }

    static Loaded load(Path dir, LogConfig config, LongSupplier clock, LongSupplier logEndOffset) throws IOException {
        Files.createDirectories(dir);
        CleanerSwap.recover(dir);
        List<Long> bases = new ArrayList<>();
        List<Path> txnIndexes = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(LogFiles.DELETED_SUFFIX) || name.endsWith(".tmp")) {
                    Files.deleteIfExists(f);
                } else if (name.endsWith(LogFiles.LOG_SUFFIX)) {
                    bases.add(Long.parseLong(name.substring(0, name.length() - LogFiles.LOG_SUFFIX.length())));
                } else if (name.endsWith(LogFiles.TXN_INDEX_SUFFIX)) {
                    txnIndexes.add(f);
                }
            }
        }
        bases.sort(null);
        deleteOrphanTxnIndexes(dir, txnIndexes);
        LogCheckpoints checkpoints = new LogCheckpoints(dir);
        boolean clean = checkpoints.consumeCleanShutdownMarker();
        long checkpointedStart = checkpoints.readLogStartOffset();
        long recoveryPoint = clean ? Long.MAX_VALUE : checkpoints.readRecoveryPoint();
        LeaderEpochCache cache = LeaderEpochCache.load(dir.resolve(LogFiles.LEADER_EPOCH), logEndOffset);
        boolean rebuildEpochs = cache == null;
        if (rebuildEpochs) {
            cache = LeaderEpochCache.empty(dir.resolve(LogFiles.LEADER_EPOCH), logEndOffset);
        }
        final LeaderEpochCache epochs = cache;

        TreeMap<Long, LogSegment> segments = new TreeMap<>();
        long recovered = 0;
        long expectedBase = Long.MIN_VALUE;
        boolean dropRest = false;
        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            boolean last = i == bases.size() - 1;
            boolean indexesPresent = Files.exists(dir.resolve(LogSegment.fileName(base, LogFiles.INDEX_SUFFIX)))
                    && Files.exists(dir.resolve(LogSegment.fileName(base, LogFiles.TIME_INDEX_SUFFIX)));
            boolean recover = !clean && (last || bases.get(i + 1) > recoveryPoint);
            boolean writable = last || recover;
            LogSegment seg = new LogSegment(dir, base, config, writable, clock.getAsLong());
            if (dropRest || base < expectedBase) {
                LOG.warning("deleting " + seg.logFile() + ": it overlaps or follows a truncated segment");
                seg.closeAndDelete("");
                dropRest = true;
                continue;
            }
            if (recover) {
                int cut = SegmentRecovery.scan(seg, Integer.MAX_VALUE, h -> epochs.assign(h.partitionLeaderEpoch(),
                        h.baseOffset()), true);
                if (cut > 0) {
                    LOG.warning("recovery cut " + cut + " bytes of torn or corrupt batches from " + seg.logFile());
                    recovered += cut;
                    dropRest = true;
                }
                seg.flush();
            } else if (!indexesPresent || seg.offsetIndex().sanityCheck(seg.size()) != null
                    || seg.timeIndex().sanityCheck(seg.size()) != null) {
                LOG.warning("rebuilding the indexes of " + seg.logFile());
                if (!writable) {
                    seg.reopenForAppend(config);
                    writable = true;
                }
                seg.rebuildIndexes();
            } else {
                seg.loadTail();
            }
            if (writable && !last && !dropRest) {
                seg.onBecomeInactive();
            }
            segments.put(base, seg);
            expectedBase = seg.nextOffset();
        }
        if (segments.isEmpty()) {
            long start = Math.max(0, checkpointedStart);
            segments.put(start, new LogSegment(dir, start, config, true, clock.getAsLong()));
        } else if (dropRest) {
            segments.lastEntry().getValue().reopenForAppend(config);
        }
        if (rebuildEpochs) {
            rebuildEpochCache(segments, epochs);
        }
        long end = segments.lastEntry().getValue().nextOffset();
        for (LogSegment seg : segments.values()) {
            seg.txnIndex().truncateTo(end);
        }
        long start = Math.min(Math.max(checkpointedStart, segments.firstKey()), end);
        epochs.truncateFromEnd(end);
        epochs.truncateFromStart(start);
        long hw = Math.max(start, Math.min(end, checkpoints.readHighWatermark()));
        return new Loaded(segments, start, end, hw, epochs, clean, recovered);
    }

    /**
     * Deletes {@code .txnindex} files without a {@code .log} file (left by a crash while a segment's files were being
     * renamed for deletion), so that a new segment at that base offset does not inherit stale entries.
     */
    private static void deleteOrphanTxnIndexes(Path dir, List<Path> txnIndexes) throws IOException {
        for (Path f : txnIndexes) {
            String name = f.getFileName().toString();
            String base = name.substring(0, name.length() - LogFiles.TXN_INDEX_SUFFIX.length());
            if (!Files.exists(dir.resolve(base + LogFiles.LOG_SUFFIX))) {
                LOG.warning("deleting " + f + ": its segment is gone");
                Files.deleteIfExists(f);
            }
        }
    }

    private static void rebuildEpochCache(TreeMap<Long, LogSegment> segments, LeaderEpochCache epochs)
            throws IOException {
        for (LogSegment seg : segments.values()) {
            BatchReader reader = new BatchReader(seg.channel(), seg.size());
            int pos = 0;
            RecordBatchHeader h;
            while (pos < seg.size() && (h = reader.headerAt(pos)) != null) {
                epochs.assign(h.partitionLeaderEpoch(), h.baseOffset());
                pos += h.sizeInBytes();
            }
        }
    }
}
