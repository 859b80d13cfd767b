package io.runnel.broker.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker keys behind topic configs Runnel cannot honour yet (the topic side: the metadata quorum's
 * {@code UnsupportedTopicConfigs}). A server configuration that sets one to anything but Kafka's default fails at
 * startup with a message naming the key, instead of being accepted and ignored; the default itself is accepted.
 */
final class UnsupportedServerConfigs {
    private static final String NO_TIERED_STORAGE = "Runnel has no tiered storage (KIP-405)";
    private static final String NO_RECOMPRESSION = "the broker stores batches as the producer compressed them and "
            + "never recompresses";

    /** A refused key's honoured values (parsed, as {@link ServerConfig#get} gives them) and why others fail. */
    private record Rule(List<Object> honoured, String why) {
    }

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        RULES.put("compression.type", new Rule(List.of("producer"), NO_RECOMPRESSION));
        RULES.put("compression.gzip.level", new Rule(List.of(-1), NO_RECOMPRESSION + ", so a level has no effect"));
        RULES.put("compression.lz4.level", new Rule(List.of(9), NO_RECOMPRESSION + ", so a level has no effect"));
        RULES.put("compression.zstd.level", new Rule(List.of(3), NO_RECOMPRESSION + ", so a level has no effect"));
        RULES.put("log.preallocate", new Rule(List.of(false), "segment files are not preallocated"));
        RULES.put("log.roll.jitter.ms", new Rule(List.of(0L), "segments roll at segment.ms exactly, without jitter"));
        RULES.put("log.roll.jitter.hours", new Rule(List.of(0), "segments roll at segment.ms exactly, without jitter"));
        RULES.put("log.local.retention.ms", new Rule(List.of(-2L), NO_TIERED_STORAGE));
        RULES.put("log.local.retention.bytes", new Rule(List.of(-2L), NO_TIERED_STORAGE));
        RULES.put("remote.log.storage.system.enable", new Rule(List.of(false), NO_TIERED_STORAGE));
    }

    private UnsupportedServerConfigs() {
    }

    /** @throws ServerConfigException naming the first refused key set to a value Runnel cannot honour */
    static void check(ServerConfig c) {
        for (Map.Entry<String, Rule> e : RULES.entrySet()) {
            Object value = c.get(e.getKey());
            if (value != null && !e.getValue().honoured().contains(value)) {
                throw new ServerConfigException("Runnel does not support " + e.getKey() + "="
                        + c.originals().get(e.getKey()).trim() + " yet (accepted: " + e.getValue().honoured().get(0)
                        + "): " + e.getValue().why() + "; remove the key or set it to its default");
            }
        }
    }

    /** Every refused key. */
    static List<String> keys() {
        return List.copyOf(RULES.keySet());
    }
}
