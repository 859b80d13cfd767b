package io.runnel.log;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of one partition log, named and defaulted as Kafka's topic configs (Kafka docs, "Topic-Level
 * Configs"). Immutable.
 *
 * @param segmentBytes      {@code segment.bytes}: the active segment rolls before it would exceed this (bytes)
 * @param segmentMs         {@code segment.ms}: the active segment rolls once it is this old (ms)
 * @param segmentIndexBytes {@code segment.index.bytes}: preallocated size of each index file (bytes)
 * @param indexIntervalBytes {@code index.interval.bytes}: bytes of batches between two offset-index entries
 * @param retentionMs       {@code retention.ms}: segments whose newest record is older are deleted; -1 keeps all
 * @param retentionBytes    {@code retention.bytes}: oldest segments are deleted while the log is larger; -1 keeps all
 * @param maxMessageBytes   {@code max.message.bytes}: largest batch accepted (bytes)
 * @param flushMessages     {@code flush.messages}: fsync after this many appended records
 * @param flushMs           {@code flush.ms}: fsync when the last one is this old (ms)
 * @param fileDeleteDelayMs {@code file.delete.delay.ms}: how long a deleted segment's files stay readable (ms)
 * @param cleanupPolicy     {@code cleanup.policy}: retention ({@code delete}), the log cleaner ({@code compact}) or both
 * @param minCleanableDirtyRatio {@code min.cleanable.dirty.ratio}: the cleaner takes a log once this share of its
 *                          cleanable bytes is dirty, 0 to 1
 * @param minCompactionLagMs {@code min.compaction.lag.ms}: a record stays uncompacted at least this long (ms)
 * @param maxCompactionLagMs {@code max.compaction.lag.ms}: a log whose dirty records are this old is cleaned whatever
 *                          its dirty ratio (ms, KIP-354)
 * @param deleteRetentionMs {@code delete.retention.ms}: a tombstone, or a transaction marker whose transaction has
 *                          no batch left, stays this long after the cleaning that first found it removable (ms,
 *                          KIP-534)
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        int segmentIndexBytes,
        int indexIntervalBytes,
        long retentionMs,
        long retentionBytes,
        int maxMessageBytes,
        long flushMessages,
        long flushMs,
        long fileDeleteDelayMs,
        CleanupPolicy cleanupPolicy,
        double minCleanableDirtyRatio,
        long minCompactionLagMs,
        long maxCompactionLagMs,
        long deleteRetentionMs) {

    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";

    /**
     * Kafka's defaults: 1 GiB segments, 7-day segment.ms and retention, 10 MiB indexes, 4 KiB index interval;
     * cleanup.policy delete, dirty ratio 0.5, no compaction lags, tombstones kept 1 day.
     */
    public static final LogConfig DEFAULT = new LogConfig(1 << 30, 604_800_000L, 10 * 1024 * 1024, 4096,
            604_800_000L, -1L, 1_048_588, Long.MAX_VALUE, Long.MAX_VALUE, 60_000L);

    /** The settings with Kafka's compaction defaults ({@link #DEFAULT}'s cleanup.policy and cleaner keys). */
    public LogConfig(int segmentBytes, long segmentMs, int segmentIndexBytes, int indexIntervalBytes,
                     long retentionMs, long retentionBytes, int maxMessageBytes, long flushMessages, long flushMs,
                     long fileDeleteDelayMs) {
        this(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, retentionMs, retentionBytes,
                maxMessageBytes, flushMessages, flushMs, fileDeleteDelayMs, CleanupPolicy.DELETE, 0.5, 0L,
                Long.MAX_VALUE, 86_400_000L);
    }

    /** @throws IllegalArgumentException naming the key whose value is out of range */
    public LogConfig {
        require(segmentBytes >= 14, SEGMENT_BYTES, segmentBytes, "at least 14");
        require(segmentMs >= 1, SEGMENT_MS, segmentMs, "at least 1");
        require(segmentIndexBytes >= 12, SEGMENT_INDEX_BYTES, segmentIndexBytes, "at least 12");
        require(indexIntervalBytes >= 0, INDEX_INTERVAL_BYTES, indexIntervalBytes, "at least 0");
        require(retentionMs >= -1, RETENTION_MS, retentionMs, "-1 or more");
        require(retentionBytes >= -1, RETENTION_BYTES, retentionBytes, "-1 or more");
        require(maxMessageBytes >= 0, MAX_MESSAGE_BYTES, maxMessageBytes, "at least 0");
        require(flushMessages >= 1, FLUSH_MESSAGES, flushMessages, "at least 1");
        require(flushMs >= 0, FLUSH_MS, flushMs, "at least 0");
        require(fileDeleteDelayMs >= 0, FILE_DELETE_DELAY_MS, fileDeleteDelayMs, "at least 0");
        if (cleanupPolicy == null) {
            throw new IllegalArgumentException(CLEANUP_POLICY + " must be set");
        }
        if (!(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1)) {
            throw new IllegalArgumentException("invalid value " + minCleanableDirtyRatio + " for "
                    + MIN_CLEANABLE_DIRTY_RATIO + ": must be between 0 and 1");
        }
        require(minCompactionLagMs >= 0, MIN_COMPACTION_LAG_MS, minCompactionLagMs, "at least 0");
        require(maxCompactionLagMs >= 1, MAX_COMPACTION_LAG_MS, maxCompactionLagMs, "at least 1");
        require(deleteRetentionMs >= 0, DELETE_RETENTION_MS, deleteRetentionMs, "at least 0");
    }

    /** This config with another {@code cleanup.policy}. */
    public LogConfig withCleanupPolicy(CleanupPolicy policy) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, retentionMs,
                retentionBytes, maxMessageBytes, flushMessages, flushMs, fileDeleteDelayMs, policy,
                minCleanableDirtyRatio, minCompactionLagMs, maxCompactionLagMs, deleteRetentionMs);
    }

    private static void require(boolean ok, String key, long value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("invalid value " + value + " for " + key + ": must be " + rule);
        }
    }

    /**
     * This config with the given Kafka topic-config keys overridden; keys this log does not know are ignored (the
     * broker validates the full key set).
     *
     * @throws IllegalArgumentException naming the key of a malformed or out-of-range value (INVALID_CONFIG)
     */
    public LogConfig with(Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>(toMap());
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (m.containsKey(e.getKey())) {
                m.put(e.getKey(), e.getValue());
            }
        }
        return new LogConfig(
                (int) parse(m, SEGMENT_BYTES, Integer.MAX_VALUE),
                parse(m, SEGMENT_MS, Long.MAX_VALUE),
                (int) parse(m, SEGMENT_INDEX_BYTES, Integer.MAX_VALUE),
                (int) parse(m, INDEX_INTERVAL_BYTES, Integer.MAX_VALUE),
                parse(m, RETENTION_MS, Long.MAX_VALUE),
                parse(m, RETENTION_BYTES, Long.MAX_VALUE),
                (int) parse(m, MAX_MESSAGE_BYTES, Integer.MAX_VALUE),
                parse(m, FLUSH_MESSAGES, Long.MAX_VALUE),
                parse(m, FLUSH_MS, Long.MAX_VALUE),
                parse(m, FILE_DELETE_DELAY_MS, Long.MAX_VALUE),
                CleanupPolicy.parse(m.get(CLEANUP_POLICY)),
                parseRatio(m.get(MIN_CLEANABLE_DIRTY_RATIO).trim()),
                parse(m, MIN_COMPACTION_LAG_MS, Long.MAX_VALUE),
                parse(m, MAX_COMPACTION_LAG_MS, Long.MAX_VALUE),
                parse(m, DELETE_RETENTION_MS, Long.MAX_VALUE));
    }

    private static double parseRatio(String raw) {
        try {
            return Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value '" + raw + "' for " + MIN_CLEANABLE_DIRTY_RATIO
                    + ": not a number");
        }
    }

    private static long parse(Map<String, String> m, String key, long max) {
        String raw = m.get(key).trim();
        long v;
        try {
            v = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value '" + raw + "' for " + key + ": not a whole number");
        }
        if (v > max) {
            throw new IllegalArgumentException("invalid value " + v + " for " + key + ": at most " + max);
        }
        return v;
    }

    /** The settings as Kafka topic-config keys and values. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(SEGMENT_BYTES, Integer.toString(segmentBytes));
        m.put(SEGMENT_MS, Long.toString(segmentMs));
        m.put(SEGMENT_INDEX_BYTES, Integer.toString(segmentIndexBytes));
        m.put(INDEX_INTERVAL_BYTES, Integer.toString(indexIntervalBytes));
        m.put(RETENTION_MS, Long.toString(retentionMs));
        m.put(RETENTION_BYTES, Long.toString(retentionBytes));
        m.put(MAX_MESSAGE_BYTES, Integer.toString(maxMessageBytes));
        m.put(FLUSH_MESSAGES, Long.toString(flushMessages));
        m.put(FLUSH_MS, Long.toString(flushMs));
        m.put(FILE_DELETE_DELAY_MS, Long.toString(fileDeleteDelayMs));
        m.put(CLEANUP_POLICY, cleanupPolicy.toString());
        m.put(MIN_CLEANABLE_DIRTY_RATIO, Double.toString(minCleanableDirtyRatio));
        m.put(MIN_COMPACTION_LAG_MS, Long.toString(minCompactionLagMs));
        m.put(MAX_COMPACTION_LAG_MS, Long.toString(maxCompactionLagMs));
        m.put(DELETE_RETENTION_MS, Long.toString(deleteRetentionMs));
        return m;
    }
}
