package io.runnel.log;

import io.runnel.log.cleaner.CleanerStats;
import io.runnel.log.cleaner.OffsetMap;
import io.runnel.log.cleaner.Throttler;
import io.runnel.log.record.BatchCodec;
import io.runnel.log.record.BatchReader;
import io.runnel.log.record.LogRecord;
import io.runnel.log.record.RecordBatchHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * One cleaning of one compacted log (the docs' "Log Compaction"; KIP-58 min lag, KIP-354 max lag, KIP-534 delete
 * horizon): builds the offset map of the dirty section (key -> last offset), then rewrites every segment below the
 * section's end, group by group (a group fits in {@code segment.bytes}), keeping a record unless a later offset of
 * its key is in the map, it has no key, or it is a tombstone whose batch's delete horizon has passed. Offsets stay
 * (gaps are fine); each batch keeps its base offset, last offset delta, leader epoch, producer id, epoch and base
 * sequence; a producer's last batch is kept even when emptied, so its sequence survives. A batch whose records all
 * stay is copied byte for byte. The active segment and anything at or above the high watermark are never read.
 * All groups are written first and swapped in together by {@link CleanerSwap}, so a crash leaves the log as it was
 * before or after the whole cleaning; a change of the log under the cleaning (truncation, retention, close) aborts it
 * and the old segments stand.
 *
 * <p>Transactions (KIP-98, Kafka's cleaner rules): nothing at or above the first unstable offset is cleaned (see
 * {@link #section}). The records of aborted transactions ({@link AbortedTransactions}, from the transaction indexes
 * of all segments) never enter the offset map and are dropped from the cleaned segments; committed transactional
 * records are compacted like any other. Control batches (commit and abort markers) go as in Kafka (KIP-534):
 * once no batch of a marker's transaction is left, a cleaning gives the marker a delete horizon (now +
 * {@code delete.retention.ms}) and a cleaning after the horizon removes it, with its aborted-transaction index entry;
 * see {@link TxnMarkerCleaning}. Each cleaned segment carries over the other transaction index entries of the
 * segments it replaces; a reset of the indexes or a change of a replaced segment's index during the cleaning aborts
 * it.
 */
final class LogCleaning {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger("io.runnel.log.cleaner");
    /** Thrown when the log changed under a cleaning; nothing was replaced. */
    static final class Aborted extends Exception {
        Aborted(String message) {
            super(message);
        }
    }

    private final PartitionLog log;
    private final OffsetMap map;
    private final Throttler throttler;
    private final CleanerSwap.StepListener listener;
    private final LogConfig config;
    private final long now;
    private AbortedTransactions aborted;
    private TxnMarkerCleaning markers;
    private final Map<LogSegment, Long> txnVersionsAtStart = new IdentityHashMap<>();
    private long bytesRead;
    private long startBytes;
    private long endBytes;
    private long startRecords;
    private long endRecords;

    LogCleaning(PartitionLog log, OffsetMap map, Throttler throttler, CleanerSwap.StepListener listener) {
        this.log = log;
        this.map = map;
        this.throttler = throttler;
        this.listener = listener;
        this.config = log.config();
        this.now = log.nowMs();
    }

    /** Runs one cleaning of {@code log}; see {@link PartitionLog#clean}. */
    static CleanerStats cleanOnce(PartitionLog log, OffsetMap map, Throttler throttler,
                                  CleanerSwap.StepListener listener) throws InterruptedException {
        try {
            return new LogCleaning(log, map, throttler, listener).run();
        } catch (Aborted e) {
            LOG.info("cleaning of " + log.dir().getFileName() + " aborted: " + e.getMessage());
            return null;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new LogException(LogError.KAFKA_STORAGE_ERROR, "cleaning " + log.dir() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** The cleanable section of a log; see {@link CleanableSection}. */
    static CleanableSection section(NavigableMap<Long, LogSegment> segs, LogConfig c, long logStart, long hw,
                                    long firstUnstable, long checkpoint, long now) throws IOException {
        long firstDirty = Math.max(logStart, checkpoint);
        LogSegment active = segs.lastEntry().getValue();
        long uncleanable = active.baseOffset();
        long clean = 0;
        long dirty = 0;
        boolean lagExceeded = false;
        boolean seenDirty = false;
        for (LogSegment s : segs.values()) {
            if (s == active) {
                break;
            }
            long upper = segs.higherKey(s.baseOffset());
            if (upper <= firstDirty) {
                clean += s.size();
                continue;
            }
            boolean tooNew = c.minCompactionLagMs() > 0 && s.largestTimestamp() > now - c.minCompactionLagMs();
            boolean unstable = firstUnstable >= 0 && upper > firstUnstable;
            if (upper > hw || tooNew || unstable) {
                uncleanable = s.baseOffset();
                break;
            }
            if (!seenDirty) {
                seenDirty = true;
                lagExceeded = c.maxCompactionLagMs() < Long.MAX_VALUE
                        && s.rollingBasedTimestamp() < now - c.maxCompactionLagMs();
            }
            dirty += s.size();
        }
        return new CleanableSection(firstDirty, Math.max(uncleanable, firstDirty), clean, dirty, lagExceeded);
    }

    /** Runs the cleaning; null when the log needs none. */
    CleanerStats run() throws IOException, InterruptedException, Aborted {
        long startNs = System.nanoTime();
        long truncations;
        long txnResets;
        synchronized (log.lock()) {
            truncations = log.truncationCount();
            txnResets = log.txnIndexes().resets();
        }
        NavigableMap<Long, LogSegment> segs = log.segments().asMap();
        CleanableSection section = section(segs, config, log.logStartOffset(), log.highWatermark(),
                log.firstUnstableOffset(), log.firstDirtyOffset(), now);
        if (!section.needsCleaning(config)) {
            return null;
        }
        for (LogSegment s : segs.values()) {
            txnVersionsAtStart.put(s, s.txnIndex().version());
        }
        aborted = AbortedTransactions.of(segs);
        long firstDirty = section.firstDirtyOffset();
        long end = buildOffsetMap(segs, firstDirty, section.firstUncleanableOffset());
        long mapMs = (System.nanoTime() - startNs) / 1_000_000;
        if (end <= firstDirty) {
            throw new Aborted("the offset map holds " + map.capacity() + " keys, fewer than one batch needs; raise "
                    + "log.cleaner.dedupe.buffer.size");
        }
        Map<Long, Long> lastBatchOfProducer = lastBatchOfProducer(segs, end);
        markers = new TxnMarkerCleaning(now, config.deleteRetentionMs(), end, lastBatchOfProducer);
        List<CleanedGroup> written = new ArrayList<>();
        try {
            for (List<LogSegment> group : groups(segs, end)) {
                written.add(writeGroup(group, end, lastBatchOfProducer));
            }
            listener.reached(CleanerSwap.Step.WRITTEN);
        } catch (IOException | RuntimeException | InterruptedException e) {
            CleanerSwap.discardCleaning(log.dir());
            throw e;
        }
        synchronized (log.lock()) {
            checkTxnIndexesUnchanged(written, txnResets);
            CleanerSwap.swap(log.dir(), log.segments(), written, log.isClosed(), config, now, listener);
            if (log.truncationCount() == truncations) {
                log.markCleaned(end);
            }
        }
        long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
        if (markers.stampedCount() > 0 || markers.droppedCount() > 0) {
            LOG.fine(() -> "cleaning of " + log.dir().getFileName() + ": " + markers.stampedCount()
                    + " transaction markers given a delete horizon, " + markers.droppedCount() + " removed");
        }
        return new CleanerStats(firstDirty, end, bytesRead, startBytes, endBytes, startRecords, endRecords, mapMs,
                elapsedMs, map.utilization());
    }

    /** Fills the map from {@code [firstDirty, uncleanable)}; returns where it stopped (exclusive). */
    private long buildOffsetMap(NavigableMap<Long, LogSegment> segs, long firstDirty, long uncleanable)
            throws IOException, InterruptedException {
        map.clear();
        Long from = segs.floorKey(firstDirty);
        for (LogSegment s : segs.subMap(from == null ? segs.firstKey() : from, true, uncleanable, false).values()) {
            int limit = s.size();
            BatchReader reader = new BatchReader(s.channel(), limit);
            int pos = 0;
            RecordBatchHeader h;
            while (pos < limit && (h = reader.headerAt(pos)) != null) {
                if (h.lastOffset() >= firstDirty && !h.isControl() && !aborted.isAborted(h)) {
                    if (map.size() + h.recordCount() > map.capacity()) {
                        return Math.max(firstDirty, h.baseOffset());
                    }
                    ByteBuffer batch = reader.readFully(pos, h.sizeInBytes());
                    bytesRead += h.sizeInBytes();
                    BatchCodec.forEachKey(batch, h, (key, offset) -> {
                        if (offset >= firstDirty) {
                            map.put(key, offset);
                        }
                    });
                    throttler.maybeThrottle(h.sizeInBytes());
                }
                pos += h.sizeInBytes();
            }
        }
        return uncleanable;
    }

    private static Map<Long, Long> lastBatchOfProducer(NavigableMap<Long, LogSegment> segs, long end)
            throws IOException {
        Map<Long, Long> last = new HashMap<>();
        for (LogSegment s : segs.headMap(end, false).values()) {
            int limit = s.size();
            BatchReader reader = new BatchReader(s.channel(), limit);
            int pos = 0;
            RecordBatchHeader h;
            while (pos < limit && (h = reader.headerAt(pos)) != null && h.baseOffset() < end) {
                if (h.hasProducerId()) {
                    last.put(h.producerId(), h.baseOffset());
                }
                pos += h.sizeInBytes();
            }
        }
        return last;
    }

    /** Consecutive segments below {@code end}, each run small enough to fit one segment. */
    private List<List<LogSegment>> groups(NavigableMap<Long, LogSegment> segs, long end) {
        List<List<LogSegment>> groups = new ArrayList<>();
        List<LogSegment> current = new ArrayList<>();
        long bytes = 0;
        for (LogSegment s : segs.headMap(end, false).values()) {
            boolean offsetsOverflow = !current.isEmpty()
                    && s.nextOffset() - current.get(0).baseOffset() > Integer.MAX_VALUE;
            if (!current.isEmpty() && (bytes + s.size() > config.segmentBytes() || offsetsOverflow)) {
                groups.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(s);
            bytes += s.size();
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    /**
     * Old segments, the sizes they had when read and the versions of their transaction indexes when copied, replaced
     * by one new segment at the first one's base.
     */
    record CleanedGroup(List<LogSegment> old, int[] sizes, long base, long[] txnVersions) {
    }

    /** Under the log's lock: throws (discarding the cleaning) if the aborted transactions changed meanwhile. */
    private void checkTxnIndexesUnchanged(List<CleanedGroup> groups, long txnResets) throws IOException, Aborted {
        boolean changed = log.txnIndexes().resets() != txnResets;
        for (CleanedGroup g : groups) {
            for (int i = 0; i < g.old().size(); i++) {
                changed |= g.old().get(i).txnIndex().version() != g.txnVersions()[i];
            }
        }
        if (changed) {
            CleanerSwap.discardCleaning(log.dir());
            throw new Aborted("the transaction indexes changed during the cleaning");
        }
    }

    private CleanedGroup writeGroup(List<LogSegment> group, long end, Map<Long, Long> lastBatchOfProducer)
            throws IOException, InterruptedException {
        long base = group.get(0).baseOffset();
        int[] sizes = new int[group.size()];
        long[] txnVersions = new long[group.size()];
        Files.createDirectories(CleanerSwap.cleaningDir(log.dir()));
        LogSegment out = new LogSegment(CleanerSwap.cleaningDir(log.dir()), base, config, true, now);
        try {
            for (int i = 0; i < group.size(); i++) {
                LogSegment s = group.get(i);
                sizes[i] = s.size();
                BatchReader reader = new BatchReader(s.channel(), sizes[i]);
                int pos = 0;
                RecordBatchHeader h;
                while (pos < sizes[i] && (h = reader.headerAt(pos)) != null) {
                    ByteBuffer batch = reader.readFully(pos, h.sizeInBytes());
                    ByteBuffer kept = filter(batch, h, end, lastBatchOfProducer);
                    if (kept != null) {
                        RecordBatchHeader kh = RecordBatchHeader.parse(kept, 0);
                        endBytes += kept.remaining();
                        endRecords += kh.recordCount();
                        out.append(kept, List.of(kh), new int[] {0});
                    }
                    throttler.maybeThrottle(2L * h.sizeInBytes());
                    pos += h.sizeInBytes();
                }
            }
            for (int i = 0; i < group.size(); i++) {
                txnVersions[i] = txnVersionsAtStart.getOrDefault(group.get(i), -1L);
                for (AbortedTxn t : group.get(i).txnIndex().all()) {
                    if (markers.keepsEntry(t)) {
                        out.txnIndex().append(t);
                    }
                }
            }
            if (Files.exists(group.get(0).txnIndex().file())) {
                out.txnIndex().create(); // replaces the old file of the same base even when empty (CleanerSwap)
            }
            out.onBecomeInactive();
        } finally {
            out.close();
        }
        return new CleanedGroup(group, sizes, base, txnVersions);
    }

    /** The batch to write in place of {@code batch}: itself, a rebuilt one, or null to drop it. */
    private ByteBuffer filter(ByteBuffer batch, RecordBatchHeader h, long end, Map<Long, Long> lastBatchOfProducer)
            throws IOException {
        bytesRead += h.sizeInBytes();
        startBytes += h.sizeInBytes();
        startRecords += h.recordCount();
        if (h.isControl()) {
            return markers.filter(batch, h);
        }
        markers.onDataBatch(h);
        if (aborted.isAborted(h)) {
            return dropAll(h, lastBatchOfProducer);
        }
        List<LogRecord> records = BatchCodec.records(batch, h);
        long horizon = BatchCodec.deleteHorizonMs(h);
        List<LogRecord> kept = new ArrayList<>(records.size());
        boolean tombstones = false;
        for (LogRecord r : records) {
            if (retain(r, end, horizon)) {
                kept.add(r);
                tombstones |= r.isTombstone();
            }
        }
        if (kept.size() == records.size() && (!tombstones || horizon >= 0)) {
            return batch;
        }
        if (kept.isEmpty()) {
            return dropAll(h, lastBatchOfProducer);
        }
        long newHorizon = tombstones && horizon < 0
                ? TxnMarkerCleaning.horizonFrom(now, config.deleteRetentionMs()) : -1;
        return BatchCodec.rebuild(h, kept, newHorizon);
    }

    /** Nothing of the batch stays: null, or the empty batch when it is its producer's last (to keep its sequence). */
    private static ByteBuffer dropAll(RecordBatchHeader h, Map<Long, Long> lastBatchOfProducer) throws IOException {
        boolean producersLast = h.hasProducerId()
                && Long.valueOf(h.baseOffset()).equals(lastBatchOfProducer.get(h.producerId()));
        return producersLast ? BatchCodec.rebuild(h, List.of(), -1) : null;
    }

    private boolean retain(LogRecord r, long end, long horizon) {
        if (r.offset() >= end) {
            return true;
        }
        if (r.key() == null) {
            return false;
        }
        if (map.get(r.key()) > r.offset()) {
            return false;
        }
        return !(r.isTombstone() && horizon >= 0 && now >= horizon);
    }
}
