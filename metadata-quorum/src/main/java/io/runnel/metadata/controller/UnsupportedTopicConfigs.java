package io.runnel.metadata.controller;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The values of Kafka's topic configs that Runnel cannot honour yet. Such a value is refused with INVALID_CONFIG (40)
 * and a message naming the key and saying why, at CreateTopics (validate_only too) and IncrementalAlterConfigs, so it
 * is never written to the metadata log and then ignored. Kafka's default value of each key stays accepted: it asks
 * for exactly what Runnel does. The README section "Topic configs Runnel refuses" lists the same keys.
 *
 * <p>Values reach these checks only after their key's type and range check ({@link ConfigKey#invalidReason}), so
 * they parse.
 */
public final class UnsupportedTopicConfigs {
    private static final String NO_TIERED_STORAGE = "Runnel has no tiered storage (KIP-405)";
    private static final String NO_RECOMPRESSION = "the broker stores batches as the producer compressed them and "
            + "never recompresses, so a compression level has no effect";

    /**
     * One key's restriction.
     *
     * @param key      Kafka's topic config key
     * @param honoured which (already type-checked) values Runnel does what Kafka documents for
     * @param accepted the values accepted, as the refusal message states them
     * @param why      why other values are refused
     */
    public record Restriction(String key, Predicate<String> honoured, String accepted, String why) {
    }

    /** Every restricted key by name. */
    public static final Map<String, Restriction> RESTRICTIONS = List.of(
            new Restriction("cleanup.policy", v -> !ConfigKey.items(v).isEmpty(), "delete, compact or both",
                    "an empty cleanup.policy (Kafka 4.2: neither deletion nor compaction) is not implemented; "
                            + "cleanup.policy=delete with retention.ms=-1 and retention.bytes=-1 keeps every record"),
            new Restriction("compression.type", v -> v.trim().equals("producer"), "producer",
                    "the broker stores batches as the producer compressed them and never recompresses"),
            equalTo("compression.gzip.level", -1, NO_RECOMPRESSION),
            equalTo("compression.lz4.level", 9, NO_RECOMPRESSION),
            equalTo("compression.zstd.level", 3, NO_RECOMPRESSION),
            equalTo("local.retention.bytes", -2, NO_TIERED_STORAGE + ": the log keeps retention.bytes"),
            equalTo("local.retention.ms", -2, NO_TIERED_STORAGE + ": the log keeps retention.ms"),
            isFalse("preallocate", "segment files are not preallocated"),
            isFalse("remote.storage.enable", NO_TIERED_STORAGE),
            isFalse("remote.log.copy.disable", NO_TIERED_STORAGE),
            isFalse("remote.log.delete.on.disable", NO_TIERED_STORAGE),
            new Restriction("segment.index.bytes", v -> Long.parseLong(v.trim()) >= 12, "at least 12",
                    "each index file must hold at least one time-index entry (12 bytes)"),
            equalTo("segment.jitter.ms", 0, "segments roll at segment.ms exactly, without a random jitter")
    ).stream().collect(Collectors.toUnmodifiableMap(Restriction::key, Function.identity()));

    private UnsupportedTopicConfigs() {
    }

    private static Restriction equalTo(String key, long kafkaDefault, String why) {
        return new Restriction(key, v -> Long.parseLong(v.trim()) == kafkaDefault, Long.toString(kafkaDefault),
                why);
    }

    private static Restriction isFalse(String key, String why) {
        return new Restriction(key, v -> v.trim().toLowerCase(Locale.ROOT).equals("false"), "false", why);
    }

    /**
     * Why Runnel refuses {@code value} for {@code key}, naming both, or null when it honours it (or the key has no
     * restriction).
     *
     * @param value a value that passed the key's type and range check
     */
    public static String refusal(String key, String value) {
        Restriction r = RESTRICTIONS.get(key);
        if (r == null || value == null || r.honoured().test(value)) {
            return null;
        }
        return "Runnel does not support " + key + "=" + value + " yet (accepted: " + r.accepted() + "): "
                + r.why();
    }
}
