package io.runnel.broker.config;

import io.runnel.log.LogConfig;

import java.util.Map;

/**
 * Which broker key sets the default of each topic-level log config, as Kafka's DescribeConfigs synonyms report them
 * (KIP-226): e.g. a topic's {@code segment.bytes} defaults to the broker's {@code log.segment.bytes}.
 */
public final class LogConfigSynonyms {
    private static final Map<String, String> BROKER_KEY_BY_TOPIC_KEY = Map.ofEntries(
            Map.entry(LogConfig.SEGMENT_BYTES, "log.segment.bytes"),
            Map.entry(LogConfig.SEGMENT_MS, "log.roll.ms"),
            Map.entry(LogConfig.SEGMENT_INDEX_BYTES, "log.index.size.max.bytes"),
            Map.entry(LogConfig.INDEX_INTERVAL_BYTES, "log.index.interval.bytes"),
            Map.entry(LogConfig.RETENTION_MS, "log.retention.ms"),
            Map.entry(LogConfig.RETENTION_BYTES, "log.retention.bytes"),
            Map.entry(LogConfig.MAX_MESSAGE_BYTES, "message.max.bytes"),
            Map.entry(LogConfig.FLUSH_MESSAGES, "log.flush.interval.messages"),
            Map.entry(LogConfig.FLUSH_MS, "log.flush.interval.ms"),
            Map.entry(LogConfig.FILE_DELETE_DELAY_MS, "log.segment.delete.delay.ms"),
            Map.entry(LogConfig.CLEANUP_POLICY, "log.cleanup.policy"),
            Map.entry(LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "log.cleaner.min.cleanable.ratio"),
            Map.entry(LogConfig.MIN_COMPACTION_LAG_MS, "log.cleaner.min.compaction.lag.ms"),
            Map.entry(LogConfig.MAX_COMPACTION_LAG_MS, "log.cleaner.max.compaction.lag.ms"),
            Map.entry(LogConfig.DELETE_RETENTION_MS, "log.cleaner.delete.retention.ms"));

    private LogConfigSynonyms() {
    }

    /** The broker key behind a topic-level key, or null when there is none. */
    public static String brokerKeyFor(String topicKey) {
        return BROKER_KEY_BY_TOPIC_KEY.get(topicKey);
    }

    /** Every topic-level key with a broker synonym, mapped to that synonym. */
    public static Map<String, String> all() {
        return BROKER_KEY_BY_TOPIC_KEY;
    }
}
