package io.runnel.broker.handler;

import io.runnel.metadata.controller.TopicConfigs;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where each topic-level config key (the keys of {@link TopicConfigs}) takes its value from when a topic does not
 * override it: Kafka's default, and the broker keys that set the default, highest precedence first (Kafka docs,
 * "Topic-Level Configs", column "Server Default Property"; KIP-226 synonyms). A broker key measured in a larger unit
 * carries the factor to milliseconds: {@code retention.ms} falls back to {@code log.retention.ms}, then
 * {@code log.retention.minutes} (× 60000), then {@code log.retention.hours} (× 3600000).
 */
final class TopicConfigDefaults {
    private static final long MINUTE_MS = 60_000L;
    private static final long HOUR_MS = 3_600_000L;
    private static final String LONG_MAX = Long.toString(Long.MAX_VALUE);

    /** A broker key behind a topic key; {@code toTopicUnit} multiplies its value into the topic key's unit. */
    record BrokerSynonym(String brokerKey, long toTopicUnit) {
    }

    /** A topic key's Kafka default (as text) and its broker synonyms. */
    record TopicDefault(String topicKey, String kafkaDefault, List<BrokerSynonym> synonyms) {
    }

    /** By topic key; covers exactly {@link TopicConfigs#KEYS}. */
    static final Map<String, TopicDefault> BY_TOPIC_KEY = List.of(
            of("cleanup.policy", "delete", "log.cleanup.policy"),
            of("compression.type", "producer", "compression.type"),
            of("compression.gzip.level", "-1", "compression.gzip.level"),
            of("compression.lz4.level", "9", "compression.lz4.level"),
            of("compression.zstd.level", "3", "compression.zstd.level"),
            of("delete.retention.ms", "86400000", "log.cleaner.delete.retention.ms"),
            of("file.delete.delay.ms", "60000", "log.segment.delete.delay.ms"),
            of("flush.messages", LONG_MAX, "log.flush.interval.messages"),
            of("flush.ms", LONG_MAX, "log.flush.interval.ms"),
            of("follower.replication.throttled.replicas", ""),
            of("index.interval.bytes", "4096", "log.index.interval.bytes"),
            of("leader.replication.throttled.replicas", ""),
            of("local.retention.bytes", "-2", "log.local.retention.bytes"),
            of("local.retention.ms", "-2", "log.local.retention.ms"),
            of("max.compaction.lag.ms", LONG_MAX, "log.cleaner.max.compaction.lag.ms"),
            of("max.message.bytes", "1048588", "message.max.bytes"),
            of("message.timestamp.after.max.ms", "3600000", "log.message.timestamp.after.max.ms"),
            of("message.timestamp.before.max.ms", LONG_MAX, "log.message.timestamp.before.max.ms"),
            of("message.timestamp.type", "CreateTime", "log.message.timestamp.type"),
            of("min.cleanable.dirty.ratio", "0.5", "log.cleaner.min.cleanable.ratio"),
            of("min.compaction.lag.ms", "0", "log.cleaner.min.compaction.lag.ms"),
            of("min.insync.replicas", "1", "min.insync.replicas"),
            of("preallocate", "false", "log.preallocate"),
            of("remote.storage.enable", "false"),
            of("remote.log.copy.disable", "false"),
            of("remote.log.delete.on.disable", "false"),
            of("retention.bytes", "-1", "log.retention.bytes"),
            new TopicDefault("retention.ms", "604800000", List.of(new BrokerSynonym("log.retention.ms", 1),
                    new BrokerSynonym("log.retention.minutes", MINUTE_MS),
                    new BrokerSynonym("log.retention.hours", HOUR_MS))),
            of("segment.bytes", "1073741824", "log.segment.bytes"),
            of("segment.index.bytes", "10485760", "log.index.size.max.bytes"),
            new TopicDefault("segment.jitter.ms", "0", List.of(new BrokerSynonym("log.roll.jitter.ms", 1),
                    new BrokerSynonym("log.roll.jitter.hours", HOUR_MS))),
            new TopicDefault("segment.ms", "604800000", List.of(new BrokerSynonym("log.roll.ms", 1),
                    new BrokerSynonym("log.roll.hours", HOUR_MS))),
            of("unclean.leader.election.enable", "false", "unclean.leader.election.enable")
    ).stream().collect(Collectors.toUnmodifiableMap(TopicDefault::topicKey, Function.identity()));

    private TopicConfigDefaults() {
    }

    private static TopicDefault of(String topicKey, String kafkaDefault, String... brokerKeys) {
        return new TopicDefault(topicKey, kafkaDefault, java.util.Arrays.stream(brokerKeys)
                .map(k -> new BrokerSynonym(k, 1)).toList());
    }

    /**
     * A broker value in the topic key's unit: multiplied by {@code toTopicUnit}; a negative duration stays -1 (as
     * Kafka treats {@code log.retention.hours=-1}: keep forever). Values that are not whole numbers pass unchanged.
     */
    static String convert(String brokerValue, long toTopicUnit) {
        if (toTopicUnit == 1 || brokerValue == null) {
            return brokerValue;
        }
        try {
            long v = Long.parseLong(brokerValue.trim());
            return v < 0 ? "-1" : Long.toString(Math.multiplyExact(v, toTopicUnit));
        } catch (NumberFormatException | ArithmeticException e) {
            return brokerValue;
        }
    }
}
