package io.runnel.broker.quota;

import io.runnel.metadata.image.TopicPartition;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * One side of Kafka's replication throttle (KIP-73) on one broker: the leader side (bytes this broker sends to
 * followers) or the follower side (bytes its fetchers receive). A partition is throttled when its topic's
 * {@code leader.replication.throttled.replicas} (resp. {@code follower.}) lists {@code partition:thisBroker} or is
 * {@code *}; the bound is this broker's {@code leader.replication.throttled.rate} (resp. {@code follower.}), bytes/s,
 * from its dynamic config or the cluster default. Only replicas outside the ISR are ever held back, as in Kafka, so
 * a throttle never slows acks=all producers. Thread-safe: the settings are replaced as a whole on each image.
 */
public final class ReplicationQuota {
    /** No bound. */
    public static final long UNLIMITED = Long.MAX_VALUE;
    private static final int WINDOWS = 11;
    private static final long WINDOW_MS = 1_000;

    private record Settings(long bytesPerSecond, Map<String, Set<Integer>> partitionsByTopic, Set<String> allOf) {
    }

    private final RateMeter meter = new RateMeter(WINDOWS, WINDOW_MS);
    private final LongSupplier clock;
    private volatile Settings settings = new Settings(UNLIMITED, Map.of(), Set.of());

    /** @param clock ms since the epoch */
    public ReplicationQuota(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Replaces the settings.
     *
     * @param bytesPerSecond    the bound, bytes/s, or {@link #UNLIMITED}
     * @param partitionsByTopic throttled partition numbers per topic (for this broker)
     * @param allOf             topics whose every partition is throttled ({@code *})
     */
    public void update(long bytesPerSecond, Map<String, Set<Integer>> partitionsByTopic, Set<String> allOf) {
        settings = new Settings(bytesPerSecond, Map.copyOf(partitionsByTopic), Set.copyOf(allOf));
    }

    /** Whether {@code tp} is throttled on this side of this broker (whatever the current rate). */
    public boolean isThrottled(TopicPartition tp) {
        Settings s = settings;
        if (s.bytesPerSecond == UNLIMITED) {
            return false;
        }
        if (s.allOf.contains(tp.topic())) {
            return true;
        }
        Set<Integer> ps = s.partitionsByTopic.get(tp.topic());
        return ps != null && ps.contains(tp.partition());
    }

    /** Whether the throttled traffic's rate is above the bound now. */
    public boolean isQuotaExceeded() {
        Settings s = settings;
        return s.bytesPerSecond != UNLIMITED && meter.rate(clock.getAsLong()) > s.bytesPerSecond;
    }

    /** Records {@code bytes} of throttled traffic. */
    public void record(long bytes) {
        if (bytes > 0) {
            meter.record(bytes, clock.getAsLong());
        }
    }

    /** Whether a replica of {@code tp} outside the ISR must wait now: throttled and above the bound. */
    public boolean holdsBack(TopicPartition tp, boolean inSync) {
        return !inSync && isThrottled(tp) && isQuotaExceeded();
    }

    /** The bound, bytes/s ({@link #UNLIMITED} when none). */
    public long bytesPerSecond() {
        return settings.bytesPerSecond;
    }
}
