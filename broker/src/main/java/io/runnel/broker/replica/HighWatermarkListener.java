package io.runnel.broker.replica;

import io.runnel.metadata.image.TopicPartition;

/** Told when a partition's high watermark moves forward, so that waiting fetches and acks=-1 produces complete. */
@FunctionalInterface
public interface HighWatermarkListener {
    /** Called outside the partition's locks, on the thread that moved the high watermark. */
    void onHighWatermarkAdvanced(TopicPartition tp);
}
