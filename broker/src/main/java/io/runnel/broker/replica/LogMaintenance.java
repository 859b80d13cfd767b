package io.runnel.broker.replica;

import java.util.Collection;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica manager's periodic log tasks over every hosted partition: the high-watermark checkpoint
 * ({@code replica.high.watermark.checkpoint.interval.ms}) and retention ({@code log.retention.check.interval.ms}).
 * A partition whose task fails is logged and skipped; the others go on.
 */
final class LogMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(LogMaintenance.class);

    private LogMaintenance() {
    }

    /** Writes each partition's high watermark to its checkpoint file. */
    static void checkpointHighWatermarks(Supplier<Collection<Partition>> partitions) {
        for (Partition p : partitions.get()) {
            try {
                p.checkpointHighWatermark();
            } catch (RuntimeException e) {
                LOG.warn("Cannot checkpoint the high watermark of {}", p.topicPartition(), e);
            }
        }
    }

    /** Deletes the segments each partition's retention (time, size, log start offset) no longer keeps. */
    static void applyRetention(Supplier<Collection<Partition>> partitions) {
        for (Partition p : partitions.get()) {
            try {
                int deleted = p.deleteOldSegments();
                if (deleted > 0) {
                    LOG.info("Retention deleted {} segments of {}", deleted, p.topicPartition());
                }
            } catch (RuntimeException e) {
                LOG.warn("Retention failed for {}", p.topicPartition(), e);
            }
        }
    }
}
