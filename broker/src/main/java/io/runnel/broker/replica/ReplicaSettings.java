package io.runnel.broker.replica;

import io.runnel.log.cleaner.CleanerConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * What the replica manager needs from the broker configuration (Kafka's keys in brackets). Immutable.
 *
 * @param brokerId                  {@code node.id}
 * @param logDirs                   {@code log.dirs}: partition directories {@code <topic>-<partition>} are spread
 *                                  over them
 * @param defaults                  partition settings before topic overrides ({@code log.segment.bytes},
 *                                  {@code message.max.bytes}, {@code log.message.timestamp.type},
 *                                  {@code min.insync.replicas}, ...)
 * @param hwCheckpointIntervalMs    {@code replica.high.watermark.checkpoint.interval.ms} (default 5000)
 * @param retentionCheckIntervalMs  {@code log.retention.check.interval.ms} (default 300000)
 * @param replicaLagTimeMaxMs       {@code replica.lag.time.max.ms} (default 30000): an ISR member that has not
 *                                  caught up for this long is removed from the ISR
 * @param cleaner                   the log cleaner's {@code log.cleaner.*} settings
 */
public record ReplicaSettings(int brokerId, List<Path> logDirs, PartitionSettings defaults,
                              long hwCheckpointIntervalMs, long retentionCheckIntervalMs, long replicaLagTimeMaxMs,
                              CleanerConfig cleaner) {
    /** As the canonical constructor, with Kafka's default cleaner settings. */
    public ReplicaSettings(int brokerId, List<Path> logDirs, PartitionSettings defaults, long hwCheckpointIntervalMs,
                           long retentionCheckIntervalMs, long replicaLagTimeMaxMs) {
        this(brokerId, logDirs, defaults, hwCheckpointIntervalMs, retentionCheckIntervalMs, replicaLagTimeMaxMs,
                CleanerConfig.DEFAULT);
    }

    public ReplicaSettings {
        if (cleaner == null) {
            throw new IllegalArgumentException("the cleaner settings must be set");
        }
        logDirs = List.copyOf(logDirs);
        if (brokerId < 0 || logDirs.isEmpty() || hwCheckpointIntervalMs < 1 || retentionCheckIntervalMs < 1
                || replicaLagTimeMaxMs < 1) {
            throw new IllegalArgumentException("invalid replica settings: broker " + brokerId + ", log dirs "
                    + logDirs + ", intervals " + hwCheckpointIntervalMs + "/" + retentionCheckIntervalMs + "/"
                    + replicaLagTimeMaxMs + " ms");
        }
    }

    /** These settings with other cleaner settings. */
    public ReplicaSettings withCleaner(CleanerConfig newCleaner) {
        return new ReplicaSettings(brokerId, logDirs, defaults, hwCheckpointIntervalMs, retentionCheckIntervalMs,
                replicaLagTimeMaxMs, newCleaner);
    }

    /** Kafka's defaults for one broker and its log directories. */
    public static ReplicaSettings defaults(int brokerId, List<Path> logDirs) {
        return new ReplicaSettings(brokerId, logDirs, PartitionSettings.DEFAULT, 5_000L, 300_000L, 30_000L);
    }
}
