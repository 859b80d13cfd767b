package io.runnel.log.cleaner;

import java.util.Locale;

/**
 * What one cleaning of one log did, as Kafka's log-cleaner.log reports it. Immutable.
 *
 * @param firstDirtyOffset   start of the dirty section cleaned (offset)
 * @param endOffset          exclusive end of the section cleaned (offset): the next first dirty offset
 * @param bytesRead          bytes of batches read (the offset-map pass and the rewrite)
 * @param startBytes         bytes of the segments rewritten, before
 * @param endBytes           bytes of those segments, after
 * @param startRecords       records in them before
 * @param endRecords         records in them after
 * @param mapBuildMs         time spent building the offset map (ms)
 * @param elapsedMs          time of the whole cleaning (ms)
 * @param bufferUtilization  share of the offset map used, 0 to 1
 */
public record CleanerStats(long firstDirtyOffset, long endOffset, long bytesRead, long startBytes, long endBytes,
                           long startRecords, long endRecords, long mapBuildMs, long elapsedMs,
                           double bufferUtilization) {
    private static final double MB = 1024.0 * 1024.0;

    /** Bytes the cleaning removed. */
    public long bytesRemoved() {
        return startBytes - endBytes;
    }

    /** Records the cleaning removed. */
    public long recordsRemoved() {
        return startRecords - endRecords;
    }

    /**
     * The one-line report, logged at INFO by logger {@code io.runnel.log.cleaner} (the content of Kafka's
     * log-cleaner.log block on one line; MB are 2^20 bytes).
     */
    public String describe(int thread, String logName) {
        double seconds = Math.max(elapsedMs, 1) / 1000.0;
        double processed = startBytes / MB;
        return String.format(Locale.ROOT, "[log-cleaner-thread-%d] Cleaned log %s (dirty section = [%d, %d]): %.1f MB"
                        + " of log processed in %.1f seconds (%.1f MB/sec); start size %.1f MB (%d messages), end size"
                        + " %.1f MB (%d messages), %.1f%% size reduction (%.1f%% fewer messages); buffer utilization"
                        + " %.1f%%", thread, logName, firstDirtyOffset, endOffset, processed, seconds,
                processed / seconds, startBytes / MB, startRecords, endBytes / MB, endRecords,
                percent(startBytes - endBytes, startBytes), percent(startRecords - endRecords, startRecords),
                bufferUtilization * 100);
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }
}
