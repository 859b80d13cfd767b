package io.runnel.log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;

/**
 * Chooses the segments retention deletes (Kafka's rules): walking from the oldest, a segment goes while it lies wholly
 * below the log start offset, or its newest record is older than {@code retention.ms}, or the log stays at least
 * {@code retention.bytes} large without it. Never the active segment, and never a segment holding offsets at or above
 * the high watermark. The walk stops at the first segment that stays. Time and size retention apply only when
 * {@code cleanup.policy} includes {@code delete}; segments below the log start offset always go.
 */
final class LogRetention {
    private LogRetention() {
    }

    static List<LogSegment> deletable(NavigableMap<Long, LogSegment> segments, LogConfig config, long nowMs,
                                      long logStartOffset, long highWatermark) throws IOException {
        List<LogSegment> doomed = new ArrayList<>();
        long total = 0;
        for (LogSegment s : segments.values()) {
            total += s.size();
        }
        boolean retain = config.cleanupPolicy().delete();
        long excessBytes = !retain || config.retentionBytes() < 0 ? Long.MIN_VALUE : total - config.retentionBytes();
        LogSegment active = segments.lastEntry().getValue();
        for (LogSegment s : segments.values()) {
            if (s == active) {
                break;
            }
            Long nextBase = segments.higherKey(s.baseOffset());
            long upperBound = nextBase == null ? s.nextOffset() : nextBase;
            if (upperBound > highWatermark) {
                break;
            }
            boolean belowStart = upperBound <= logStartOffset;
            boolean expired = retain && config.retentionMs() >= 0 && nowMs - s.largestTimestamp() > config.retentionMs();
            boolean oversized = excessBytes != Long.MIN_VALUE && excessBytes - s.size() >= 0;
            if (!(belowStart || expired || oversized)) {
                break;
            }
            doomed.add(s);
            if (excessBytes != Long.MIN_VALUE) {
                excessBytes -= s.size();
            }
        }
        return doomed;
    }
}
