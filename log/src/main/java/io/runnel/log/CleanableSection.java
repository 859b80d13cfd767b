package io.runnel.log;

/**
 * What the log cleaner may clean in one log now (the docs' "Log Compaction": the clean head, the dirty tail, and the
 * uncleanable rest). Immutable.
 *
 * @param firstDirtyOffset       the first offset not yet cleaned
 * @param firstUncleanableOffset the base offset of the first segment the cleaner must not touch: the active segment,
 *                               one holding offsets at or above the high watermark or the first unstable offset
 *                               (the oldest open transaction's first offset, KIP-98), or one newer than
 *                               {@code min.compaction.lag.ms}
 * @param cleanBytes             bytes of the segments below the dirty section
 * @param dirtyBytes             bytes of the segments of the dirty section
 * @param maxLagExceeded         the oldest dirty record is older than {@code max.compaction.lag.ms} (KIP-354)
 */
public record CleanableSection(long firstDirtyOffset, long firstUncleanableOffset, long cleanBytes, long dirtyBytes,
                               boolean maxLagExceeded) {

    /** Dirty bytes over clean plus dirty bytes, 0 to 1 (Kafka's dirty ratio). */
    public double dirtyRatio() {
        long total = cleanBytes + dirtyBytes;
        return total == 0 ? 0 : (double) dirtyBytes / total;
    }

    /** True when the cleaner should clean the log: dirty data and a dirty ratio above the bound (strictly, as Kafka), or a lag passed. */
    public boolean needsCleaning(LogConfig config) {
        return config.cleanupPolicy().compact() && dirtyBytes > 0
                && (dirtyRatio() > config.minCleanableDirtyRatio() || maxLagExceeded);
    }
}
