package io.runnel.broker.group;

import io.runnel.metadata.image.CommittedOffset;
import io.runnel.metadata.image.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * When committed offsets expire ({@code offsets.retention.minutes}, KIP-211): only while the group has no members,
 * and only once the retention has passed both since the offset was committed and since the group became empty.
 * Groups with members keep their offsets (Kafka also expires offsets of topics a consumer group stopped subscribing
 * to; Runnel does not, yet).
 *
 * <p>Who expires: the group's coordinator, since only it knows whether the group has members (membership is in its
 * memory, not in the metadata log). It checks every {@code offsets.retention.check.interval.ms} and deletes expired
 * offsets through the controller as OffsetDelete records, so every node's image drops them alike. When a group's
 * coordinator changed or restarted, the time the group became empty is unknown and the commit time alone counts.
 * Pure functions.
 */
public final class OffsetExpiry {
    private OffsetExpiry() {
    }

    /**
     * The partitions whose offsets have expired, sorted.
     *
     * @param committed    the group's committed offsets
     * @param emptySinceMs when the group became empty (epoch ms), or 0 when unknown
     * @param nowMs        the current time (epoch ms)
     * @param retentionMs  {@code offsets.retention.minutes} in milliseconds
     */
    public static List<TopicPartition> expired(Map<TopicPartition, CommittedOffset> committed, long emptySinceMs,
                                               long nowMs, long retentionMs) {
        List<TopicPartition> out = new ArrayList<>();
        for (Map.Entry<TopicPartition, CommittedOffset> e : new TreeMap<>(committed).entrySet()) {
            long base = Math.max(e.getValue().commitTimestampMs(), emptySinceMs);
            if (nowMs - base >= retentionMs) {
                out.add(e.getKey());
            }
        }
        return out;
    }
}
