package io.runnel.log.cleaner;

/**
 * The log cleaner's view of one log over JMX, as
 * {@code io.runnel.log:type=LogCleaner,broker=<node.id>,name="<topic>-<partition>"}.
 * Counters are since the broker started.
 */
public interface LogCleanerMetricsMXBean {
    /** Dirty bytes over clean plus dirty bytes now, 0 to 1. */
    double getDirtyRatio();

    /** When the last cleaning ended (ms since the epoch), -1 if none yet. */
    long getLastCleaningTimeMs();

    /** How long the last cleaning took (ms), -1 if none yet. */
    long getLastCleaningDurationMs();

    /** Cleanings done. */
    long getCleanings();

    /** Bytes removed by all cleanings. */
    long getBytesRemoved();

    /** Records removed by all cleanings. */
    long getRecordsRemoved();

    /** The first offset not yet cleaned after the last cleaning, -1 if none yet. */
    long getFirstDirtyOffset();
}
