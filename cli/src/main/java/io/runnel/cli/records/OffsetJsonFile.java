package io.runnel.cli.records;

import com.fasterxml.jackson.databind.JsonNode;
import io.runnel.cli.client.JsonFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The {@code --offset-json-file} of {@code delete-records}, in the format of Kafka's {@code kafka-delete-records.sh}:
 * {@code {"partitions":[{"topic":"t","partition":0,"offset":10}],"version":1}}. {@code version} may be left out; only
 * 1 exists. {@code offset} is the first offset to keep, -1 for the high watermark (KIP-107).
 */
final class OffsetJsonFile {
    private OffsetJsonFile() {
    }

    /**
     * Reads and checks the file.
     *
     * @return the offset per partition, in file order
     * @throws IllegalArgumentException with a one-line reason: unreadable file, not JSON, a missing or mistyped
     *                                  field, an unsupported version, a partition listed twice
     */
    static Map<TopicPartition, Long> read(Path file) {
        return parse(JsonFiles.read(file), file.toString());
    }

    /** {@link #read} on {@code text}; {@code source} names it in messages. */
    static Map<TopicPartition, Long> parse(String text, String source) {
        JsonNode root = JsonFiles.object(text, source);
        JsonNode version = root.get("version");
        if (version != null && !(version.canConvertToInt() && version.asInt() == 1)) {
            throw new IllegalArgumentException("Not supported version field value " + version + " in " + source
                    + " (only 1)");
        }
        JsonNode partitions = root.get("partitions");
        if (partitions == null || !partitions.isArray()) {
            throw new IllegalArgumentException("Missing partitions field in " + source);
        }
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (JsonNode entry : partitions) {
            TopicPartition tp = JsonFiles.topicPartition(entry, source);
            JsonNode offset = entry.get("offset");
            if (offset == null || !offset.isIntegralNumber() || !offset.canConvertToLong() || offset.asLong() < -1) {
                throw new IllegalArgumentException("a partition entry of " + source + " lacks an \"offset\" number"
                        + " of at least -1: " + entry);
            }
            if (offsets.put(tp, offset.asLong()) != null) {
                duplicates.add(tp.toString());
            }
        }
        if (!duplicates.isEmpty()) {
            throw new IllegalArgumentException("Offset json file contains duplicate topic partitions: "
                    + String.join(",", duplicates));
        }
        return offsets;
    }
}
