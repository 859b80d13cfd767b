package io.runnel.log;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A log's {@code cleanup.policy} (Kafka docs, "Topic-Level Configs"; "Log Compaction"): {@code delete} removes whole
 * old segments by {@code retention.ms} / {@code retention.bytes}; {@code compact} keeps the last record of every key
 * (the log cleaner); both together do both. Immutable.
 *
 * @param delete  retention by time and size applies
 * @param compact the log cleaner compacts this log
 */
public record CleanupPolicy(boolean delete, boolean compact) {
    /** Kafka's default: {@code delete}. */
    public static final CleanupPolicy DELETE = new CleanupPolicy(true, false);
    /** {@code compact}. */
    public static final CleanupPolicy COMPACT = new CleanupPolicy(false, true);

    /**
     * Parses Kafka's list form: {@code delete}, {@code compact}, or both comma-separated in any order.
     *
     * @throws IllegalArgumentException naming {@code cleanup.policy} for an empty list or an unknown policy
     */
    public static CleanupPolicy parse(String text) {
        Set<String> parts = new LinkedHashSet<>();
        for (String p : text.split(",")) {
            String t = p.trim().toLowerCase(Locale.ROOT);
            if (!t.isEmpty()) {
                parts.add(t);
            }
        }
        boolean delete = parts.remove("delete");
        boolean compact = parts.remove("compact");
        if (!parts.isEmpty() || !(delete || compact)) {
            throw new IllegalArgumentException("invalid value '" + text + "' for " + LogConfig.CLEANUP_POLICY
                    + ": must be a list of " + Arrays.asList("delete", "compact"));
        }
        return new CleanupPolicy(delete, compact);
    }

    /** Kafka's text form: {@code delete}, {@code compact} or {@code compact,delete}. */
    @Override
    public String toString() {
        return compact && delete ? "compact,delete" : compact ? "compact" : "delete";
    }
}
